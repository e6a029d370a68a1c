"""The freezing of a published cycle's scorecards, as the admin and the pages see it: one row per
cycle, written by `reports.snapshots.run_freeze` (the `reports.freeze_cycle` task started when the
cycle is published, the `freeze_scorecards` command, or the first reader of a cycle published
before this existed)."""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# A running freeze writes its progress after every batch of agencies (well under a second apart);
# one silent for this long died with its worker and may be claimed again.
STALE_AFTER = timedelta(minutes=10)


class FreezeState(models.TextChoices):
    QUEUED = "queued", _("En cola")
    RUNNING = "running", _("Congelando")
    DONE = "done", _("Congelada")
    FAILED = "failed", _("Falló")


class CycleFreeze(models.Model):
    cycle = models.OneToOneField(
        "obligations.ReviewCycle", verbose_name=_("ciclo"), on_delete=models.CASCADE, related_name="freeze"
    )
    # The publication being frozen (a cycle published again is frozen anew).
    cycle_published_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(_("estado"), max_length=16, choices=FreezeState.choices, default=FreezeState.QUEUED)
    done = models.PositiveIntegerField(_("cédulas congeladas"), default=0)
    total = models.PositiveIntegerField(_("cédulas por congelar"), default=0)
    token = models.CharField(max_length=32, blank=True)  # who holds the running freeze
    error = models.TextField(_("error"), blank=True)
    queued_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("congelamiento de un ciclo")
        verbose_name_plural = _("congelamientos de ciclos")

    def __str__(self):
        return f"{self.cycle_id} · {self.state}"

    @property
    def percent(self) -> int:
        if self.state == FreezeState.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def is_ready(self) -> bool:
        return self.state == FreezeState.DONE

    def label(self) -> str:
        """'congelando 40 %', 'en cola', 'congelada', 'falló: …' (admin and pages)."""
        if self.state == FreezeState.RUNNING:
            return gettext("congelando %(percent)s %%") % {"percent": self.percent}
        if self.state == FreezeState.FAILED:
            return gettext("falló: %(error)s") % {"error": self.error}
        return str(self.get_state_display()).lower()
