from tests.mail_sink import smtp_sink

__all__ = ["smtp_sink"]
