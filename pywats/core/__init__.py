"""Core building blocks shared by the sync and async facades."""
