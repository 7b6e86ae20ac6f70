"""A Jupyter server extension that sends kernel messages to the browser at once.

Jupyter's server forwards each kernel message to the browser over a websocket, and
by default leaves Nagle's algorithm on for it: a small message written while an
earlier one is still unacknowledged waits for that acknowledgement, which the
browser's side may hold back (40 ms on Linux, longer on some systems). Moving a
slider quickly (a held arrow key, a drag) hits exactly that case: in the course's
browser benchmark, a picture that took the kernel 6 ms reached the page 64 ms
after the key press, and 36-46 ms with this extension.

``pip install ./server`` (requirements.txt and Binder's postBuild do it) installs
it and the file that enables it (``etc/jupyter/jupyter_server_config.d/
nnlib_jupyter.json``) for JupyterLab and Notebook 7 started from that
environment. It only sets TCP_NODELAY on kernel websockets; nothing else changes.
To turn it off: ``jupyter server extension disable nnlib_jupyter``.
"""


def _jupyter_server_extension_points():
    return [{"module": "nnlib_jupyter"}]


def quick(connection_class):
    """Return a subclass of connection_class whose websocket sends every message at once (TCP_NODELAY)."""

    class Quick(connection_class):
        def connect(self):
            try:
                self.websocket_handler.set_nodelay(True)
            except Exception as err:  # noqa: BLE001 - a speed-up must never stop a notebook from connecting
                self.log.warning("nnlib_jupyter: could not set TCP_NODELAY (%s); messages may wait", err)
            return super().connect()

    Quick.__name__ = Quick.__qualname__ = "Quick" + connection_class.__name__
    return Quick


def _load_jupyter_server_extension(serverapp):
    settings = serverapp.web_app.settings
    connection_class = settings.get("kernel_websocket_connection_class")
    if connection_class is None or connection_class.__name__.startswith("Quick"):  # none, or loaded twice
        serverapp.log.warning("nnlib_jupyter: no kernel websocket connection class to wrap (or wrapped already); "
                              "left as it is")
        return
    settings["kernel_websocket_connection_class"] = quick(connection_class)
    serverapp.log.info("nnlib_jupyter: kernel websockets send each message at once (TCP_NODELAY)")
