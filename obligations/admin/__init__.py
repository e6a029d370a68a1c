"""The auditors' workspace in the admin, one module per concern. Importing the package registers
every model admin of the app (Django's admin autodiscovery imports `obligations.admin`).

- catalogue: legal instruments, provisions, obligations, indicators, recommendations
- figures: indicator values with their breakdown, the 32 states and their facts, recurring asks
- law: provision versions, duty-bearers, statutory duties, the Commission's membership over time
- cycles: review cycles (open, close, publish)
- assessments: ratings, their evidence inline and the workflow buttons
- evidence: the evidence list (publishable marking, downloads)
- replies: the auditors' answer to the agencies' replies

Access and read-only rules: compliance.admin.PolicyAdmin (agencies.policy and obligations.workflow).
"""

from obligations.admin import assessments, catalogue, cycles, evidence, figures, law, replies  # noqa: F401
