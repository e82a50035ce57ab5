"""The demo's sign-offs, online or on paper, and its revisits (a part of ``Builder``)."""

from django.core.files.base import ContentFile

from suggestions import services
from suggestions.models import RevisitOutcome, SignOff, Suggestion

from .city import DEPUTY_OPINIONS, PDF, RATINGS, Item


class Signing:
    """The three signatures of a reply, and the revisit; a deputy without an account
    signs on the paper record the unit uploads and the office verifies."""

    def _sign_on_paper(self, s: Suggestion, rating: str, levels: int, verify: bool) -> None:
        """The lead unit uploads the signed record; the office verifies it (or not yet)."""
        work, result = RATINGS[rating]
        signatures = {
            SignOff.Level.DEPUTY: {
                "signed_on": self.today,
                "work_rating": work,
                "result_rating": result,
                "opinion": DEPUTY_OPINIONS[rating],
            },
            SignOff.Level.UNIT_HEAD: {"signed_on": self.today},
            SignOff.Level.LEADER: {"signed_on": self.today},
        }
        lead = s.lead_assignment()
        submission = services.signoff_paper_submit(
            assignment=lead,
            by=self.clerk_of[lead.unit_id],
            scan=ContentFile(PDF, name="纪实表扫描件.pdf"),
            signatures=dict(list(signatures.items())[:levels]),
        )
        if verify:
            services.signoff_paper_verify(submission=submission, by=self.staff, accept=True)

    def _sign(self, s: Suggestion, rating: str, *, levels: int = 3, verify: bool = True) -> None:
        if s.lead_deputy.user_id is None:
            self._sign_on_paper(s, rating, levels, verify)
            return
        unit = s.current_reply().assignment.unit
        work, result = RATINGS[rating]
        services.signoff_record(
            suggestion=s,
            by=s.lead_deputy.user,
            level=SignOff.Level.DEPUTY,
            work_rating=work,
            result_rating=result,
            opinion=DEPUTY_OPINIONS[rating],
        )
        if levels >= 2:
            services.signoff_record(
                suggestion=s,
                by=self.head_of[unit.pk],
                level=SignOff.Level.UNIT_HEAD,
                opinion="已审核，同意答复意见，请经办科室抓好承诺事项落实。",
            )
        if levels >= 3:
            services.signoff_record(
                suggestion=s, by=unit.leader, level=SignOff.Level.LEADER, opinion="同意。"
            )

    def _revisit(self, s: Suggestion, item: Item) -> None:
        outcomes = {c: item.outcome for c in s.current_reply().commitments.all()}
        notes = {
            RevisitOutcome.Outcome.KEPT: "承诺事项已全部落实，代表对落实情况表示认可。",
            RevisitOutcome.Outcome.PARTLY_KEPT: "承诺事项部分落实，已督促承办单位加快推进。",
            RevisitOutcome.Outcome.NOT_KEPT: "承诺事项未按期落实，已通报承办单位并纳入绩效考核。",
        }[item.outcome]
        services.revisit_record(
            suggestion=s,
            by=self.staff,
            outcomes=outcomes,
            notes=f"市人大常委会人事选举工作委员会会同{s.lead_deputy.name}代表开展回访。{notes}",
            decision=None if item.outcome == RevisitOutcome.Outcome.KEPT else "close",
        )
