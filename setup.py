"""Packaging for PureCloudPlatformClientV2 (SCIM edition).

The version is defined once, in PureCloudPlatformClientV2/_version.py (read here as text, so
building never imports the package). The wheel holds the library, its sandbox and CLI, and the
`py.typed` marker; tests, docs and tools stay in the repository.
"""

import pathlib
import re

from setuptools import find_packages, setup

HERE = pathlib.Path(__file__).parent
VERSION_FILE = HERE / "PureCloudPlatformClientV2" / "_version.py"
VERSION = re.search(r'^__version__ = "([^"]+)"$', VERSION_FILE.read_text(encoding="utf-8"), re.M).group(1)

setup(
    name="PureCloudPlatformClientV2",
    version=VERSION,
    description="A small, fast, typed drop-in client for the Genesys Cloud SCIM API, with a local sandbox",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="MIT",
    license_files=["LICENSE"],
    keywords=["genesys", "genesys cloud", "purecloud", "scim", "provisioning", "identity"],
    packages=find_packages(include=["PureCloudPlatformClientV2", "PureCloudPlatformClientV2.*"]),
    package_data={"PureCloudPlatformClientV2": ["py.typed"]},
    zip_safe=False,  # mypy reads py.typed packages from a directory
    python_requires=">=3.10",
    install_requires=["urllib3>=1.26,<3", "certifi>=2023.7.22"],
    extras_require={
        "cli": ["click>=8.1", "rich>=13"],
        "test": ["pytest>=8", "hypothesis>=6.100", "mypy>=1.10"],
    },
    entry_points={
        "console_scripts": ["purecloud-scim = PureCloudPlatformClientV2.cli:main"],
        "pytest11": ["purecloud_scim_sandbox = PureCloudPlatformClientV2.sandbox.pytest_plugin"],
    },
    classifiers=[
        "Development Status :: 4 - Beta",
        "Environment :: Console",
        "Framework :: Pytest",
        "Intended Audience :: Developers",
        "Intended Audience :: System Administrators",
        "Operating System :: OS Independent",
        "Programming Language :: Python :: 3",
        "Programming Language :: Python :: 3 :: Only",
        "Programming Language :: Python :: 3.10",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
        "Programming Language :: Python :: 3.13",
        "Topic :: Software Development :: Libraries :: Python Modules",
        "Topic :: System :: Systems Administration :: Authentication/Directory",
        "Typing :: Typed",
    ],
)
