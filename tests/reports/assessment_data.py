"""The assessment pages' year: 2026, seen on 1 July, when one of the lead unit's two
suggestions is past its deadline unreplied and the co-unit's opinion on it is late.

- 市交通运输局 (lead): on time 1/2, one late reply (−2): score 98, rank 2.
- 市公安局交通警察支队 (co): co-opinions on time 1/2, one late (−1): score 99, rank 1.
- No deputy has signed: the satisfaction rates read "—".
"""

import dataclasses
import datetime

from suggestions import services
from tests import flows

ASSIGNED = datetime.date(2026, 3, 10)
SEEN = datetime.date(2026, 7, 1)
YEAR = 2026


@dataclasses.dataclass
class Year:
    late: object  # the suggestion not replied by its deadline
    replied: object  # replied on time


def build(cast) -> Year:
    with flows.on(ASSIGNED):
        late = flows.assigned(cast, title="关于整治城区占道经营的建议")
        replied = flows.handled(cast, title="关于增设学校周边交通信号灯的建议")
    return Year(late=late, replied=replied)


def assign_to(cast, unit, *, title: str, co_units=()):
    """A suggestion assigned on ``ASSIGNED`` with ``unit`` leading."""
    with flows.on(ASSIGNED):
        suggestion = flows.reviewed(cast, title=title)
        services.suggestion_assign(
            suggestion=suggestion, by=cast.staff, lead_unit=unit, co_units=list(co_units)
        )
    return suggestion
