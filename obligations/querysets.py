from django.db import models
from django.db.models import Exists, OuterRef, Q

from agencies import access
from obligations.choices import CycleState, WorkflowState


class ReviewCycleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=CycleState.PUBLISHED)

    def visible_to(self, user):
        """Cycles the user may open: all for auditors; published, plus (for liaisons)
        unpublished cycles in which their agency has validated ratings to reply to."""
        if access.sees_unpublished(user):
            return self
        if access.is_liaison(user):
            from obligations.models import Assessment

            # EXISTS, not a join + DISTINCT: a cycle holds hundreds of thousands of ratings and
            # this runs on every liaison page (uses the assessment (cycle, agency) index).
            validated_for_them = Assessment.objects.filter(
                cycle=OuterRef("pk"),
                agency_id__in=access.liaison_agency_ids(user),
                workflow_state=WorkflowState.VALIDATED,
            )
            return self.filter(Q(state=CycleState.PUBLISHED) | Q(Exists(validated_for_them)))
        return self.published()


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one access rule for ratings (see agencies.access)."""
        if access.sees_unpublished(user):
            return self
        published = Q(cycle__state=CycleState.PUBLISHED)
        if access.is_liaison(user):
            own = Q(agency_id__in=access.liaison_agency_ids(user))
            return self.filter(own & (published | Q(workflow_state=WorkflowState.VALIDATED)))
        if access.is_secretariat(user):
            return self.filter(published)
        return self.filter(published)

    def published(self):
        return self.filter(cycle__state=CycleState.PUBLISHED)


class EvidenceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Evidence of visible assessments; confidential items only within the authorised
        circle (auditors, secretariat, the agency's own liaisons)."""
        from obligations.models import Assessment

        qs = self.filter(assessment__in=Assessment.objects.visible_to(user))
        if access.sees_all_agencies(user):
            return qs
        if access.is_liaison(user):
            return qs.filter(Q(confidential=False) | Q(assessment__agency_id__in=access.liaison_agency_ids(user)))
        return qs.filter(confidential=False)

    def public(self):
        return self.filter(confidential=False, assessment__cycle__state=CycleState.PUBLISHED)
