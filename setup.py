from setuptools import setup

setup()  # everything is in pyproject.toml; this file keeps scrapyd-deploy from writing its own
