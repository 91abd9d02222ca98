"""Seed the calendar with every year the installed chinesecalendar package covers."""
from django.db import migrations


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    from gongkai.law.calendar import chinesecalendar_years, seed_from_chinesecalendar

    CalendarYear = apps.get_model("clock", "CalendarYear")
    CalendarEntry = apps.get_model("clock", "CalendarEntry")
    have = set(CalendarYear.objects.values_list("year", flat=True))
    years = [y for y in chinesecalendar_years() if y not in have]
    by_year = {y: CalendarYear.objects.create(year=y, source="chinesecalendar") for y in years}
    CalendarEntry.objects.bulk_create(
        [CalendarEntry(calendar_year=by_year[e.date.year], date=e.date, kind=e.kind.value, name=e.name)
         for e in seed_from_chinesecalendar(years)] if years else [])


class Migration(migrations.Migration):
    dependencies = [("clock", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
