"""Packaging for PureCloudPlatformClientV2 (SCIM edition)."""

import pathlib
import re

from setuptools import find_packages, setup

HERE = pathlib.Path(__file__).parent
VERSION = re.search(
    r'__version__ = "([^"]+)"', (HERE / "PureCloudPlatformClientV2" / "_version.py").read_text()
).group(1)

setup(
    name="PureCloudPlatformClientV2",
    version=VERSION,
    description="A small, fast, typed drop-in client for the Genesys Cloud SCIM API, with a local sandbox",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="MIT",
    packages=find_packages(include=["PureCloudPlatformClientV2", "PureCloudPlatformClientV2.*"]),
    package_data={"PureCloudPlatformClientV2": ["py.typed"]},
    python_requires=">=3.9",
    install_requires=["urllib3>=1.26,<3", "certifi>=2023.7.22"],
    extras_require={
        "test": ["pytest>=8", "hypothesis>=6.100", "mypy>=1.10"],
    },
    entry_points={
        "pytest11": ["purecloud_scim_sandbox = PureCloudPlatformClientV2.sandbox.pytest_plugin"],
    },
    classifiers=[
        "Development Status :: 4 - Beta",
        "Intended Audience :: Developers",
        "Intended Audience :: System Administrators",
        "License :: OSI Approved :: MIT License",
        "Operating System :: OS Independent",
        "Programming Language :: Python :: 3",
        "Programming Language :: Python :: 3 :: Only",
        "Programming Language :: Python :: 3.9",
        "Programming Language :: Python :: 3.10",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
        "Topic :: System :: Systems Administration :: Authentication/Directory",
        "Typing :: Typed",
    ],
)
