"""The channel log: what a body publishes or holds outside the portal (公众号, 微博, 公告栏, media, meetings)."""
