"""What the units' assessment reads beside the handling records: each year's scheme and
the office's manual deductions (``reports``), written once the suggestions are in.

Both are small (a scheme per year, a deduction for about one unit-year in six), so they
go in through the ORM; a run that grows the data set adds deductions only for the
unit-years that have none yet.
"""

import datetime
import random
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models.functions import ExtractYear

from reports.models import AssessmentScheme, Deduction
from suggestions.models import Assignment

# A scheme as an office would set it: every kind costs something (the model's defaults
# leave dissatisfaction and broken commitments at 0).
SCHEME = {
    "late_reply": Decimal(2),
    "missing_signatures": Decimal(1),
    "nonconforming_reply": Decimal(2),
    "late_co_opinion": Decimal("0.5"),
    "dissatisfied": Decimal(2),
    "commitment_not_kept": Decimal(1),
}
REASONS = (
    "制度不健全",
    "办理工作机制不完善，未明确分管领导",
    "未按要求报送年度办理工作总结",
    "答复函未经主要负责人审签即报送",
    "与代表沟通不充分，代表反映强烈",
)
POINTS = (Decimal(1), Decimal(2), Decimal(3), Decimal(5))
SHARE, TWICE = 0.15, 0.03


def write(rng: random.Random, today: datetime.date, staff_id: int) -> int:
    """Each year's scheme (kept if set), and deductions for about one unit-year in six
    without any; the number of deductions written."""
    pairs = set(
        Assignment.objects.annotate(year=ExtractYear("assigned_on"))
        .values_list("unit_id", "year")
        .distinct()
        .order_by()
    )
    years = sorted({year for _unit, year in pairs})
    done = set(Deduction.objects.values_list("unit_id", "year").distinct().order_by())
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    rows = []
    for unit_id, year in sorted(pairs - done):
        draw = rng.random()
        if draw >= SHARE:
            continue
        day = datetime.date(year, 12, 20) if year < today.year else today
        if year == today.year:
            day -= datetime.timedelta(days=rng.randint(1, 30))
            day = max(day, datetime.date(year, 1, 1))
        for n in range(2 if draw < TWICE else 1):
            at = datetime.datetime.combine(day, datetime.time(10 + n), tzinfo=tz)
            rows.append(
                Deduction(
                    unit_id=unit_id,
                    year=year,
                    points=rng.choice(POINTS),
                    reason=rng.choice(REASONS),
                    recorded_by_id=staff_id,
                    recorded_at=at,
                )
            )
    with transaction.atomic():
        for year in years:
            AssessmentScheme.objects.get_or_create(year=year, defaults=SCHEME)
        Deduction.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
