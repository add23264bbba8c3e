"""The compiled part of the build; everything else about the package is in pyproject.toml.

core._native holds fast paths of core/scorers.py. Without a C compiler the install goes on
(optional=True) and core/scorers.py uses its pure-Python paths: the same results, slower.
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("core._native", ["core/_native.c"], optional=True)])
