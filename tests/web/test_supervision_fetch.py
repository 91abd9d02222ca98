"""The SSRF guard of the supervision's URL upload, without network access: name resolution and the connection are
replaced, so each refusal is shown to happen before any connection to the address it refuses."""
from __future__ import annotations

import http.server
import threading

import pytest

from gongkai.web.supervision import fetch as f


def resolver(table: dict[str, list[str]]):
    def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise f.FetchRefused(f"无法解析域名 {host}")
        return table[host]
    return resolve


class FakeResponse:
    def __init__(self, status: int, headers: dict[str, str] | None = None, body: bytes = b"") -> None:
        self.status, self.headers, self.body = status, headers or {}, body

    def stream(self, n: int):
        for i in range(0, len(self.body), n):
            yield self.body[i:i + n]

    def release_conn(self) -> None:
        pass


@pytest.fixture
def opened(monkeypatch):
    """Records every connection fetch() would make; answers from ``responses`` by (ip, path)."""
    calls: list[tuple[str, str, str]] = []
    responses: dict[tuple[str, str], FakeResponse] = {}

    def fake_open(target: f.Target, timeout: float) -> FakeResponse:
        calls.append((target.ip, target.host, target.path))
        return responses[(target.ip, target.path)]

    monkeypatch.setattr(f, "_open", fake_open)
    return calls, responses


PRIVATE = ["127.0.0.1", "10.1.2.3", "172.16.0.5", "192.168.1.1", "169.254.169.254", "0.0.0.0", "100.64.0.1",
           "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "224.0.0.1", "240.0.0.1"]


@pytest.mark.parametrize("ip", PRIVATE)
def test_private_addresses_refused_after_resolution(ip, opened):
    calls, _ = opened
    with pytest.raises(f.FetchRefused, match="内部网络"):
        f.fetch("https://reports.example.gov.cn/2024.pdf", resolver=resolver({"reports.example.gov.cn": [ip]}))
    assert calls == []


@pytest.mark.parametrize("url", ["http://127.0.0.1/x", "http://[::1]/x", "http://169.254.169.254/latest/meta-data/",
                                 "http://2130706433/", "http://0x7f.0.0.1/"])
def test_literal_private_addresses_refused(url, opened):
    calls, _ = opened
    with pytest.raises(f.FetchRefused, match="内部网络"):
        f.fetch(url)  # numeric forms (2130706433, 0x7f.0.0.1) are resolved locally, without a DNS query
    assert calls == []


def test_one_private_answer_among_public_ones_is_refused(opened):
    calls, _ = opened
    with pytest.raises(f.FetchRefused, match="内部网络"):
        f.fetch("http://mixed.example.cn/", resolver=resolver({"mixed.example.cn": ["93.184.216.34", "10.0.0.7"]}))
    assert calls == []


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.cn/a.pdf", "gopher://example.cn/", "javascript:alert(1)",
                                 "dict://example.cn:11211/", "//example.cn/a", "example.cn/a.pdf"])
def test_non_http_schemes_refused(url, opened):
    calls, _ = opened
    with pytest.raises(f.FetchRefused, match="http"):
        f.fetch(url, resolver=resolver({"example.cn": ["93.184.216.34"]}))
    assert calls == []


def test_credentials_in_url_refused(opened):
    with pytest.raises(f.FetchRefused, match="用户名"):
        f.fetch("http://user:pw@example.cn/", resolver=resolver({"example.cn": ["93.184.216.34"]}))


def test_redirect_to_private_address_refused_before_connecting(opened):
    calls, responses = opened
    responses[("93.184.216.34", "/nb/2024.html")] = FakeResponse(302, {"Location": "http://intranet.example.cn/admin"})
    table = {"www.example.gov.cn": ["93.184.216.34"], "intranet.example.cn": ["192.168.0.10"]}
    with pytest.raises(f.FetchRefused, match="内部网络"):
        f.fetch("http://www.example.gov.cn/nb/2024.html", resolver=resolver(table))
    assert calls == [("93.184.216.34", "www.example.gov.cn", "/nb/2024.html")]  # never the second host


def test_redirect_to_other_scheme_refused(opened):
    _, responses = opened
    responses[("93.184.216.34", "/a")] = FakeResponse(301, {"Location": "file:///etc/passwd"})
    with pytest.raises(f.FetchRefused, match="http"):
        f.fetch("http://www.example.gov.cn/a", resolver=resolver({"www.example.gov.cn": ["93.184.216.34"]}))


def test_public_redirect_followed_and_connection_goes_to_the_vetted_address(opened):
    calls, responses = opened
    responses[("93.184.216.34", "/a")] = FakeResponse(302, {"Location": "/b?x=1"})
    responses[("93.184.216.34", "/b?x=1")] = FakeResponse(200, {"Content-Type": "text/html"}, "报告".encode())
    got = f.fetch("http://www.example.gov.cn/a", resolver=resolver({"www.example.gov.cn": ["93.184.216.34"]}))
    assert got.data == "报告".encode() and got.url == "http://www.example.gov.cn/b?x=1"
    assert [c[0] for c in calls] == ["93.184.216.34", "93.184.216.34"]


def test_redirect_loop_and_size_limits(opened):
    _, responses = opened
    table = resolver({"a.example.cn": ["93.184.216.34"]})
    responses[("93.184.216.34", "/loop")] = FakeResponse(302, {"Location": "/loop"})
    with pytest.raises(f.FetchRefused, match="重定向次数过多"):
        f.fetch("http://a.example.cn/loop", resolver=table)
    responses[("93.184.216.34", "/big")] = FakeResponse(200, {"Content-Length": str(10 ** 9)})
    with pytest.raises(f.FetchRefused, match="过大"):
        f.fetch("http://a.example.cn/big", resolver=table)
    responses[("93.184.216.34", "/liar")] = FakeResponse(200, {}, b"x" * 5000)  # no length declared
    with pytest.raises(f.FetchRefused, match="过大"):
        f.fetch("http://a.example.cn/liar", resolver=table, max_bytes=4096)


def test_real_loopback_server_is_never_contacted():
    """A live server on 127.0.0.1: the guard refuses it through the real connection code (no mock of _open)."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"secret")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        with pytest.raises(f.FetchRefused):
            f.fetch(f"http://localhost:{port}/")  # resolved by the system: 127.0.0.1 / ::1
        with pytest.raises(f.FetchRefused):
            f.fetch(f"http://127.0.0.1:{port}/")
        assert hits == []
    finally:
        server.shutdown()
