"""A due date may be an estimate (预计): counted through a year whose holiday notice is not entered, on the
provisional calendar of 《全国年节及纪念日放假办法》. Applications whose deadline could not be computed before
(``due_on`` null because the year was not covered — open ones, and closed ones that kept null for good) get it
now, with a 期限重新计算 event on the case."""
from django.db import migrations, models
from django.utils import timezone

REASON = "工作日历可按《全国年节及纪念日放假办法》预计，补算答复期限"


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    from gongkai.errors import LawError
    from gongkai.law.calendar import CalendarDay, DayKind, WorkingCalendar
    from gongkai.law.deadlines import DeadlineSettings
    from gongkai.web.applications.deadlines import replay

    Application = apps.get_model("applications", "Application")
    CaseEvent = apps.get_model("applications", "CaseEvent")
    CalendarYear = apps.get_model("clock", "CalendarYear")
    CalendarEntry = apps.get_model("clock", "CalendarEntry")
    todo = Application.objects.filter(due_on__isnull=True)
    if not todo.exists():
        return
    calendar = WorkingCalendar(
        [CalendarDay(d, DayKind(k), n) for d, k, n in CalendarEntry.objects.values_list("date", "kind", "name")],
        covered_years=CalendarYear.objects.values_list("year", flat=True), provisional=True)
    today = timezone.localdate()
    for app in todo.iterator(chunk_size=500):
        events = list(CaseEvent.objects.filter(application=app).order_by("on", "id"))
        try:
            deadline, _ = replay(app, events, calendar=calendar, today=today, settings=DeadlineSettings())
        except LawError:
            continue
        if deadline is None or deadline.due is None:
            continue
        app.due_on = deadline.due
        app.due_provisional = deadline.provisional
        app.due_note = (deadline.provisional_reason or "")[:200]
        app.deadline_status = deadline.status.value
        app.deadline_text = "\n".join([*deadline.explanation, *(f"提示：{w}" for w in deadline.warnings)])
        app.save(update_fields=["due_on", "due_provisional", "due_note", "deadline_status", "deadline_text"])
        CaseEvent.objects.create(application=app, kind="deadline_changed", on=today, actor_name="系统",
                                 data={"before": None, "after": deadline.due.isoformat(), "reason": REASON})


class Migration(migrations.Migration):
    dependencies = [("applications", "0003_list_and_applicant_indexes"), ("clock", "0002_seed")]

    operations = [
        migrations.AddField(model_name="application", name="due_provisional",
                            field=models.BooleanField(default=False, verbose_name="期限为预计")),
        migrations.AddField(model_name="application", name="due_note",
                            field=models.CharField(blank=True, max_length=200, verbose_name="期限说明")),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]

