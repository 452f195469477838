"""Websocket messages between browser and server, and their JSON Schema."""
