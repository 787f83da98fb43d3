"""Events of this app that higher layers react to (decision 0005). Sent after the transaction that
made them commits; receivers only enqueue tasks, the work lives in services."""

from django.dispatch import Signal

# Sent with `enrolment_id` once, when a teacher's enrolment is first marked complete.
course_completed = Signal()
