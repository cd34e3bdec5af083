"""Moroccan date and time formats (FORMAT_MODULE_PATH): day first and the 24-hour clock in every
language, as Moroccan forms and documents write them. Django's Arabic and English defaults are
American (month first, a.m./p.m.); French already matches and keeps Django's."""
