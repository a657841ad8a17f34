"""DMs a person caused that wait for their recipient's working hours: what the sender is
told ("reaches @ravi at 09:00 their time, in 11 h") and *Send now anyway*."""
