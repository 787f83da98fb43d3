"""How a date is typed: day/month/year with `/`, `-`, `.` or a space between (what people in Bangladesh
write), or ISO year-month-day (what a phone's date picker and the API send). The first is how a date box is
filled in. Shared by `core.forms.DateField` and `core/formats/` (Django's stock DateField)."""

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %m %Y", "%Y-%m-%d", "%d/%m/%y", "%d-%m-%y"]
DATETIME_INPUT_FORMATS = [f"{day} {time}" for day in DATE_INPUT_FORMATS[:5] for time in ("%H:%M:%S", "%H:%M")]
DATE_SHOWN = DATE_INPUT_FORMATS[0]
