"""Writes for supported practice, one module per part (keyword-only, typed, permission checked inside, atomic,
side effects on commit): `log` (plans, records, acknowledging, encouraging), `circles` (circles and meetings),
`observations` (requests, consent, append-only entries, replies), `checks` (learner checks), `status` (ongoing
status, certificate of practice), `nudges`."""
