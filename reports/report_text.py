"""The handling report in the committee office's words: the year's figures
(``reports.selectors.handling_report``) written out as sections of paragraphs and the
units' ranking table. The printable page and the .docx both render this one structure,
so they say the same thing.

Every sentence is a translated string with named placeholders (a plural form where one
count leads it); a rate with no case gets its own sentence ("none", never 0 %).
"""

from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy, ngettext

from .report_document import (
    Paragraph,
    ReportDocument,
    Section,
    Table,
    joined,
    listing,
    numeral,
    percent,
)
from .selectors.handling_report import HandlingReport

CLASS_WORDS = {
    "A": gettext_lazy("solved or mostly solved"),
    "B": gettext_lazy("being solved or scheduled"),
    "C": gettext_lazy("cannot be solved now, explained"),
    "D": gettext_lazy("kept for reference"),
}
PROGRESS_WORDS = {
    "assigned": gettext_lazy("being handled"),
    "handled": gettext_lazy("replied to"),
    "signed": gettext_lazy("signed at all three levels"),
    "revisited": gettext_lazy("closed after the revisit"),
}


# 一、基本情况 -----------------------------------------------------------------------------


def _overview(r: HandlingReport) -> list[Paragraph]:
    if r.is_empty:
        return [
            Paragraph(
                gettext(
                    "There is no suggestion from deputies for %(year)s: the report has no "
                    "figures yet."
                )
                % {"year": r.year}
            )
        ]
    paragraphs = []
    if r.received:
        paragraphs.append(
            joined(
                ngettext(
                    "In %(year)s the office received %(count)s suggestion from deputies.",
                    "In %(year)s the office received %(count)s suggestions from deputies.",
                    r.received,
                )
                % {"year": r.year, "count": r.received},
                gettext(
                    "After review: not accepted, %(not_accepted)s; withdrawn by their "
                    "deputies, %(withdrawn)s; merged with suggestions on the same matter, "
                    "%(merged)s; still under review, %(under_review)s."
                )
                % {
                    "not_accepted": r.not_accepted,
                    "withdrawn": r.withdrawn,
                    "merged": r.merged,
                    "under_review": r.under_review,
                },
            )
        )
    else:
        paragraphs.append(
            Paragraph(
                gettext("No suggestion from deputies was received in %(year)s.") % {"year": r.year}
            )
        )
    if r.assigned:
        paragraphs.append(
            joined(
                ngettext(
                    "%(count)s suggestion was assigned in the year, to %(units)s handling "
                    "units (%(lead)s lead and %(co)s co-handling assignments).",
                    "%(count)s suggestions were assigned in the year, to %(units)s handling "
                    "units (%(lead)s lead and %(co)s co-handling assignments).",
                    r.assigned,
                )
                % {
                    "count": r.assigned,
                    "units": r.units,
                    "lead": r.lead_assignments,
                    "co": r.co_assignments,
                },
                gettext(
                    "As of %(date)s, %(replied)s have been replied to, %(signed)s signed at "
                    "all three levels, %(closed)s closed after the revisit, and "
                    "%(in_handling)s are still being handled."
                )
                % {
                    "date": date_format(r.as_of),
                    "replied": r.replied,
                    "signed": r.signed,
                    "closed": r.closed,
                    "in_handling": r.in_handling,
                },
            )
        )
    else:
        paragraphs.append(
            Paragraph(gettext("No suggestion was assigned in %(year)s.") % {"year": r.year})
        )
    paragraphs.append(_classes(r))
    return paragraphs


def _classes(r: HandlingReport) -> Paragraph:
    if not r.replies:
        return Paragraph(gettext("No reply has been given yet; the replies by class: none."))
    parts = [
        gettext("class %(code)s (%(words)s) %(count)s, %(percent)s")
        % {
            "code": c.code,
            "words": CLASS_WORDS.get(c.code, c.label),
            "count": c.share.numerator,
            "percent": percent(c.share),
        }
        for c in r.by_class
    ]
    return joined(
        ngettext(
            "By class, of the %(count)s current reply: %(classes)s.",
            "By class, of the %(count)s current replies: %(classes)s.",
            r.replies,
        )
        % {"count": r.replies, "classes": listing(parts, clauses=True)},
        gettext(
            "Solved or being solved (classes A and B): %(resolved)s, %(percent)s "
            "(%(resolved)s/%(total)s)."
        )
        % {
            "resolved": r.resolved.numerator,
            "total": r.resolved.denominator,
            "percent": percent(r.resolved),
        },
    )


# 二、主要做法和成效 -----------------------------------------------------------------------


def _work(r: HandlingReport) -> list[Paragraph]:
    on_time = (
        gettext(
            "Deadlines were enforced: of the %(due)s lead assignments replied to or past "
            "their deadline, %(on_time)s were replied to on time, an on-time reply rate of "
            "%(percent)s (%(on_time)s/%(due)s)."
        )
        % {
            "due": r.on_time.denominator,
            "on_time": r.on_time.numerator,
            "percent": percent(r.on_time),
        }
        if r.on_time.denominator
        else gettext(
            "No lead assignment has been replied to or come to its deadline yet; on-time "
            "reply rate: none."
        )
    )
    co = (
        gettext("The co-handling units sent %(on_time)s of %(due)s opinions on time (%(percent)s).")
        % {
            "due": r.co_on_time.denominator,
            "on_time": r.co_on_time.numerator,
            "percent": percent(r.co_on_time),
        }
        if r.co_on_time.denominator
        else ""
    )
    signatures = (
        gettext(
            "Three-level signatures: of the %(due)s replies older than 30 days, %(signed)s "
            "were signed by the deputies, the unit head and the government leader in "
            "charge, %(percent)s (%(signed)s/%(due)s)."
        )
        % {
            "due": r.signed_complete.denominator,
            "signed": r.signed_complete.numerator,
            "percent": percent(r.signed_complete),
        }
        if r.signed_complete.denominator
        else gettext("No reply is older than 30 days yet; three-level signature rate: none.")
    )
    total = r.satisfied_work.denominator
    satisfaction = (
        gettext(
            "Of the deputies' %(total)s sign-offs, %(work)s rated the handling work satisfied "
            "or basically satisfied, a satisfaction rate of %(work_percent)s "
            "(%(work)s/%(total)s); %(result)s rated the result so, a satisfaction rate of "
            "%(result_percent)s (%(result)s/%(total)s)."
        )
        % {
            "total": total,
            "work": r.satisfied_work.numerator,
            "work_percent": percent(r.satisfied_work),
            "result": r.satisfied_result.numerator,
            "result_percent": percent(r.satisfied_result),
        }
        if total
        else gettext("No deputy has rated the handling yet; satisfaction rates: none.")
    )
    return [
        joined(on_time, co),
        Paragraph(signatures),
        Paragraph(satisfaction),
        *_keys(r),
    ]


def _progress(key) -> str:
    """Where a key suggestion stands, in the report's words."""
    words = PROGRESS_WORDS.get(key.state, key.state_label)
    if key.classification and key.state != "assigned":
        words = gettext("%(progress)s (class %(code)s)") % {
            "progress": words,
            "code": key.classification,
        }
    return words


def _keys(r: HandlingReport) -> list[Paragraph]:
    if not r.key_suggestions:
        return [
            Paragraph(
                gettext("No suggestion was chosen for key supervision in %(year)s.")
                % {"year": r.year}
            )
        ]
    count = len(r.key_suggestions)
    lead = Paragraph(
        ngettext(
            "%(count)s suggestion was chosen for key supervision, led by government leaders; "
            "%(visits)s inspection visits and supervision meetings were held.",
            "%(count)s suggestions were chosen for key supervision, led by government "
            "leaders; %(visits)s inspection visits and supervision meetings were held.",
            count,
        )
        % {"count": count, "visits": r.key_visits}
    )
    items = [
        Paragraph(
            gettext(
                "“%(title)s”: led by %(leader)s, lead unit %(unit)s; now %(state)s; "
                "inspections: %(visits)s."
            )
            % {
                "title": k.title,
                "leader": k.leader,
                "unit": k.lead_unit or "—",
                "state": _progress(k),
                "visits": k.visits,
            },
            item=True,
        )
        for k in r.key_suggestions
    ]
    return [lead, *items]


# 三、存在的问题 --------------------------------------------------------------------------


def _problems(r: HandlingReport) -> list[Paragraph]:
    if r.late_replies:
        units = listing(
            [
                gettext("%(name)s %(count)s") % {"name": unit, "count": n}
                for unit, n in r.late_by_unit
            ]
        )
        late = ngettext(
            "First, some handling was late: %(count)s lead assignment was not replied to by "
            "its deadline (%(units)s).",
            "First, some handling was late: %(count)s lead assignments were not replied to "
            "by their deadline (%(units)s).",
            r.late_replies,
        ) % {"count": r.late_replies, "units": units}
    else:
        late = gettext("First, timeliness: no late reply was found.")
    unsigned = (
        ngettext(
            "%(count)s reply older than 30 days still lacks one of the three signatures.",
            "%(count)s replies older than 30 days still lack one of the three signatures.",
            r.missing_signatures,
        )
        % {"count": r.missing_signatures}
        if r.missing_signatures
        else ""
    )
    if r.redo_total:
        grounds = listing(
            [gettext("%(name)s %(count)s") % {"name": g.label, "count": g.count} for g in r.redos]
        )
        redo = ngettext(
            "Second, some replies fell short: %(count)s redo was ordered (%(grounds)s).",
            "Second, some replies fell short: %(count)s redos were ordered (%(grounds)s).",
            r.redo_total,
        ) % {"count": r.redo_total, "grounds": grounds}
    else:
        redo = gettext("Second, quality: no redo was ordered.")
    dissatisfied = (
        ngettext(
            "Deputies rated the result dissatisfied in %(count)s sign-off.",
            "Deputies rated the result dissatisfied in %(count)s sign-offs.",
            r.dissatisfied,
        )
        % {"count": r.dissatisfied}
        if r.dissatisfied
        else ""
    )
    return [
        joined(late, unsigned),
        joined(redo, dissatisfied),
        joined(_commitments(r), _checks(r)),
    ]


def _commitments(r: HandlingReport) -> str:
    checked = r.kept.denominator
    if not checked:
        return gettext("Third, commitments: none has been checked at a closing revisit yet.")
    values = {
        "checked": checked,
        "kept": r.kept.numerator,
        "partly": r.partly_kept,
        "not_kept": r.not_kept,
        "percent": percent(r.kept),
    }
    if r.partly_kept or r.not_kept:
        return (
            gettext(
                "Third, some commitments were not kept: the closing revisits checked "
                "%(checked)s commitments, %(kept)s kept, %(partly)s partly kept and "
                "%(not_kept)s not kept, a kept rate of %(percent)s (%(kept)s/%(checked)s)."
            )
            % values
        )
    return (
        ngettext(
            "Third, commitments: the %(checked)s commitment checked at the closing revisits "
            "was kept.",
            "Third, commitments: all %(checked)s commitments checked at the closing revisits "
            "were kept.",
            checked,
        )
        % values
    )


def _checks(r: HandlingReport) -> str:
    if not r.interim_checks:
        return ""
    return ngettext(
        "%(count)s interim check was made during the handling.",
        "%(count)s interim checks were made during the handling.",
        r.interim_checks,
    ) % {"count": r.interim_checks}


# 四、下一步工作 and the appendix ---------------------------------------------------------


def _next_steps() -> list[Paragraph]:
    return [
        Paragraph(
            gettext(
                "Next, the office will keep following the suggestions still being handled "
                "and the commitments still to be kept, see that the redo orders and the late "
                "replies are put right, and use the assessment to raise the quality of the "
                "handling and the deputies' satisfaction."
            )
        )
    ]


def _ranking(r: HandlingReport) -> Table:
    return Table(
        caption=gettext("Appendix: the handling units' assessment ranking, %(year)s")
        % {"year": r.year},
        header=[
            gettext("Rank"),
            gettext("Handling unit"),
            gettext("Lead assignments"),
            gettext("Score"),
            gettext("On-time reply rate"),
            gettext("Satisfaction with the result"),
        ],
        rows=[
            [
                str(u.rank),
                u.unit.name,
                str(u.lead_count),
                str(u.score),
                str(u.on_time),
                str(u.satisfied_result),
            ]
            for u in r.ranking
        ],
        empty=gettext("No unit had an assignment in %(year)s.") % {"year": r.year},
    )


def _title(r: HandlingReport) -> str:
    if r.term is None:
        return gettext("Report on the handling of the deputies' suggestions of %(year)s") % {
            "year": r.year
        }
    return gettext(
        "Report on the handling of the deputies' suggestions made at session %(session)s "
        "of the %(term)s people's congress"
    ) % {"term": numeral(r.term), "session": numeral(r.session)}


def handling_report_document(r: HandlingReport) -> ReportDocument:
    """The report's text, section by section, with the ranking as its appendix."""
    if r.closed_on:
        note = gettext(
            "The units' figures are those of the %(year)s assessment as closed with the "
            "figures of %(date)s; the counts by state are as of today."
        ) % {"year": r.year, "date": date_format(r.closed_on)}
    else:
        note = gettext("Figures as of %(date)s.") % {"date": date_format(r.as_of)}
    return ReportDocument(
        title=_title(r),
        committee=r.committee_name or gettext("Standing Committee of the People's Congress"),
        dateline=date_format(r.as_of),
        sections=[
            Section(gettext("I. Overview"), _overview(r)),
            Section(gettext("II. How the suggestions were handled, and the results"), _work(r)),
            Section(gettext("III. Problems"), _problems(r)),
            Section(gettext("IV. Next steps"), _next_steps()),
        ],
        appendix=_ranking(r),
        note=note,
        filename=gettext("Handling report %(year)s") % {"year": r.year} + ".docx",
    )
