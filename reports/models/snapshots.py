from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ValuesJSONField(models.JSONField):
    """A JSONField that PostgreSQL bulk inserts through VALUES, not UNNEST: Django 5.2 sends the
    rows of a `bulk_create` as one array per column, and casting large JSON documents to `jsonb[]`
    made freezing 5–10× slower. A field with `get_placeholder` opts out of the UNNEST path."""

    def get_placeholder(self, value, compiler, connection):
        return "%s"


class ScorecardSnapshot(models.Model):
    """The frozen scorecard of one agency (or, with no agency, the national panorama) in a
    published cycle. Written once by `reports.snapshots.freeze_cycle`; reading a published
    scorecard is one fetch of this row, and a later change of method never alters it."""

    cycle = models.ForeignKey("obligations.ReviewCycle", on_delete=models.CASCADE, related_name="scorecard_snapshots")
    agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.CASCADE, related_name="scorecard_snapshots"
    )
    methodology_version = models.CharField(_("versión de la metodología"), max_length=32)
    # The cycle's publication time when frozen: a cycle re-published later is frozen anew.
    cycle_published_at = models.DateTimeField(null=True, blank=True)
    summary = ValuesJSONField(_("resumen"), default=dict)  # scores, counts, trends (the panorama reads only this)
    # An agency: one dict per obligation, as shown (its legal basis kept once per obligation in the
    # national snapshot's rows: reports.snapshots.restore_bases).
    rows = ValuesJSONField(_("obligaciones"), default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cédula congelada")
        verbose_name_plural = _("cédulas congeladas")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "agency"],
                name="snapshot_unique_cycle_agency",
                violation_error_message=_("Ya existe una cédula congelada de esa dependencia en ese ciclo."),
            ),
            models.UniqueConstraint(
                fields=["cycle"],
                condition=Q(agency__isnull=True),
                name="snapshot_unique_cycle_national",
                violation_error_message=_("Ya existe un panorama nacional congelado de ese ciclo."),
            ),
        ]
        # The unique constraint's index (cycle, agency) serves both reads: one agency's
        # scorecard and the panorama's list of a cycle's snapshots.

    def __str__(self):
        return f"{self.cycle_id} · {self.agency_id or 'nacional'}"
