"""Liaison stations (DESIGN "Liaison stations"): the stations and who keeps them
(``station``), the yearly "八有" checklist (``checklist``), reception days and activities
(``activity``), and the opinions heard there with the path each took (``opinion``)."""

from .activity import Activity, ActivityFile, ReceptionDay
from .checklist import StationCheck
from .opinion import Opinion, OpinionStep
from .station import LiaisonStation

__all__ = [
    "Activity",
    "ActivityFile",
    "LiaisonStation",
    "Opinion",
    "OpinionStep",
    "ReceptionDay",
    "StationCheck",
]
