"""Public test helpers for users of countypolicing.

Install them with the ``countypolicing[testing]`` extra, which brings in Hypothesis,
then import the strategies from `countypolicing.testing.strategies`::

    from countypolicing.testing.strategies import counties, disputes

This package imports nothing on its own, so ``import countypolicing.testing`` stays
cheap; only the ``strategies`` module needs Hypothesis.
Nothing else in countypolicing imports this package.

Added in version 0.1.0.
"""

__all__: list[str] = []
