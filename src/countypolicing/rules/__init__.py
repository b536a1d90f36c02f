"""The rule engine: a safe rule language compiled to Python, with explanations.

Rules are data (YAML): expressions in Python syntax, checked node by node against an
allow-list and typed against a schema, compiled to one generated function per
ruleset. Hit policies follow DMN; scorecards and risk matrices are built in.

Added in version 0.1.0.
"""

from countypolicing.rules._classifier import (
    AtomTrace,
    Classifier,
    ClassifyFunction,
    Decision,
    Explanation,
    RuleTrace,
    compile_ruleset,
)
from countypolicing.rules._ir import ValueType
from countypolicing.rules._jsonlogic import JsonLogic, from_jsonlogic, to_jsonlogic
from countypolicing.rules._parse import RuleLimits, parse_condition
from countypolicing.rules._ruleset import (
    BUILTIN_OUTPUTS,
    Aggregate,
    Because,
    HitPolicy,
    Monotone,
    OutputSpec,
    Rule,
    RuleSet,
    RuleTest,
    Threshold,
    ruleset_from_data,
)
from countypolicing.rules._schema import (
    BUILTIN_SUBJECTS,
    FieldSpec,
    Schema,
    builtin_schema,
)
from countypolicing.rules._subjects import (
    community_record,
    community_records,
    dispute_record,
    risk_point_record,
)
from countypolicing.rules._testing import (
    DecisionChange,
    RuleTestReport,
    RuleTestResult,
    diff_rulesets,
    run_rule_tests,
)
from countypolicing.rules._verify import (
    Finding,
    FindingKind,
    MonotoneCheck,
    VerificationReport,
    VerifyLimits,
    verify,
)

__all__ = [
    "BUILTIN_OUTPUTS",
    "BUILTIN_SUBJECTS",
    "Aggregate",
    "AtomTrace",
    "Because",
    "Classifier",
    "ClassifyFunction",
    "Decision",
    "DecisionChange",
    "Explanation",
    "FieldSpec",
    "Finding",
    "FindingKind",
    "HitPolicy",
    "JsonLogic",
    "Monotone",
    "MonotoneCheck",
    "OutputSpec",
    "Rule",
    "RuleLimits",
    "RuleSet",
    "RuleTest",
    "RuleTestReport",
    "RuleTestResult",
    "RuleTrace",
    "Schema",
    "Threshold",
    "ValueType",
    "VerificationReport",
    "VerifyLimits",
    "builtin_schema",
    "community_record",
    "community_records",
    "compile_ruleset",
    "diff_rulesets",
    "dispute_record",
    "from_jsonlogic",
    "parse_condition",
    "risk_point_record",
    "ruleset_from_data",
    "run_rule_tests",
    "to_jsonlogic",
    "verify",
]
