"""server/nnlib_jupyter.py: Jupyter's kernel websockets send each message at once.

Without it, a message the kernel sends while an earlier one is still unacknowledged waits
(Nagle's algorithm) for an acknowledgement the browser may hold back for 40 ms: in the
browser benchmark a slider moved key press after key press took 64 ms from key to picture,
and 36-46 ms with it (benchmarks/widget_latency.py; the numbers are in the closing note of
issue 14, not asserted here).
"""

import asyncio
import socket
import threading

import pytest

jupyter_server = pytest.importorskip("jupyter_server", reason="jupyter_server comes with JupyterLab "
                                     "(pip install -r requirements.txt)")
import tornado.web  # noqa: E402
import tornado.websocket  # noqa: E402
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection  # noqa: E402

nnlib_jupyter = pytest.importorskip("nnlib_jupyter", reason="the server extension is not installed here: "
                                    "pip install ./server (requirements.txt does it)")


class Connection:
    """Stands for Jupyter's connection class: remembers that it connected."""

    def __init__(self, websocket_handler):
        self.websocket_handler = websocket_handler

    def connect(self):
        return "connected"


def nodelay_of_a_real_websocket(connection_class):
    """Open a real websocket on 127.0.0.1, connect() a connection_class on its server side, and
    return the server socket's TCP_NODELAY option as the operating system reports it."""

    async def main():
        seen = {}

        class Handler(tornado.websocket.WebSocketHandler):
            def open(self):
                seen["connect"] = connection_class(websocket_handler=self).connect()
                sock = self.ws_connection.stream.socket
                seen["nodelay"] = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
                self.write_message("opened")

        server = tornado.web.Application([("/ws", Handler)]).listen(0, "127.0.0.1")
        port = next(iter(server._sockets.values())).getsockname()[1]
        client = await tornado.websocket.websocket_connect(f"ws://127.0.0.1:{port}/ws")
        assert await client.read_message() == "opened"
        client.close()
        server.stop()
        return seen

    seen = {}  # a thread of its own: the test runner's thread may hold an event loop already
    thread = threading.Thread(target=lambda: seen.update(asyncio.run(main())))
    thread.start()
    thread.join()
    return seen


def test_a_plain_tornado_websocket_leaves_nagle_on():
    """What the extension is for: by default the server side of a websocket may hold small messages back."""
    assert nodelay_of_a_real_websocket(Connection) == {"connect": "connected", "nodelay": 0}


def test_the_quick_connection_turns_nagle_off_on_the_real_socket_then_connects_as_before():
    assert nodelay_of_a_real_websocket(nnlib_jupyter.quick(Connection)) == {"connect": "connected", "nodelay": 1}


class FakeApp:
    def __init__(self, connection_class):
        self.messages = []
        self.web_app = type("WebApp", (), {"settings": {"kernel_websocket_connection_class": connection_class}})()
        self.log = type("Log", (), {"info": self.messages.append, "warning": self.messages.append})()


def test_loading_the_extension_wraps_whatever_connection_class_the_server_uses_once():
    app = FakeApp(ZMQChannelsWebsocketConnection)
    nnlib_jupyter._load_jupyter_server_extension(app)
    quick = app.web_app.settings["kernel_websocket_connection_class"]
    assert issubclass(quick, ZMQChannelsWebsocketConnection) and quick is not ZMQChannelsWebsocketConnection
    assert quick.__name__ == "QuickZMQChannelsWebsocketConnection"
    nnlib_jupyter._load_jupyter_server_extension(app)  # loaded twice: wrapped once
    assert app.web_app.settings["kernel_websocket_connection_class"] is quick
    assert "TCP_NODELAY" in app.messages[0] and "left as it is" in app.messages[1]


def test_installing_the_course_turns_the_extension_on_in_jupyter_server(tmp_path, monkeypatch):
    """The config file pip installs with ./server enables it: a server initialised here uses the quick class."""
    from jupyter_server.serverapp import ServerApp

    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR"):  # no user settings
        monkeypatch.setenv(name, str(tmp_path / name))
    app = ServerApp()
    try:
        app.initialize(argv=["--ServerApp.port=0", "--ServerApp.ip=127.0.0.1", "--ServerApp.open_browser=False",
                             f"--ServerApp.root_dir={tmp_path}"], find_extensions=True, new_httpserver=False)
        assert app.jpserver_extensions.get("nnlib_jupyter") is True, (
            "nnlib_jupyter is not enabled: pip install ./server (requirements.txt does it) puts "
            "etc/jupyter/jupyter_server_config.d/nnlib_jupyter.json into the environment")
        connection_class = app.web_app.settings["kernel_websocket_connection_class"]
        assert connection_class.__name__.startswith("Quick"), connection_class
    finally:
        ServerApp.clear_instance()
