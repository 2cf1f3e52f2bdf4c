"""Tests of the SCIM sandbox (PureCloudPlatformClientV2.sandbox)."""
