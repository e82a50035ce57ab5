"""Key suggestions (重点督办) for the tests: designated and visited through the services."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from suggestions import services
from suggestions.models import KeySuggestion
from tests import flows

# A white 1×1 pixel PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000b49444154789c63f80f040009fb03fdfb5e6b2b0000000049454e44ae426082"
)


def png(name: str = "现场照片.png") -> ContentFile:
    return ContentFile(PNG, name=name)


def designated(cast: flows.Cast, suggestion=None, **kwargs) -> KeySuggestion:
    """An assigned suggestion chosen for this year, led by the lead unit's leader and
    followed by the co-signing deputy (``kwargs`` override the service's arguments)."""
    suggestion = suggestion or flows.assigned(cast)
    arguments = {
        "year": timezone.localdate().year,
        "leader": cast.leader,
        "committee": "财政经济委员会",
        "deputies": [cast.co_deputy],
        **kwargs,
    }
    return services.key_suggestion_designate(suggestion=suggestion, by=cast.staff, **arguments)


def visit(key: KeySuggestion, by, **kwargs):
    """An inspection visit recorded a week ago (``kwargs`` override)."""
    arguments = {
        "happened_on": timezone.localdate() - datetime.timedelta(days=7),
        "participants": "副市长、市人大财经委、市交通运输局负责人",
        "findings": "信号灯已完成选址，施工招标正在进行。",
        "next_steps": "月底前完成招标，十月底前完成安装。",
        **kwargs,
    }
    return services.inspection_record(key_suggestion=key, by=by, **arguments)
