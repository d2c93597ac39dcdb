"""Code generated from proto/mfa/v1/mfa.proto by scripts/generate-proto. Do not edit."""
