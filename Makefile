.PHONY: demo test install lint bench

# The demo's port: 8000, or WARGAME_PORT from the environment (make demo WARGAME_PORT=8001).
WARGAME_PORT ?= 8000

demo:
	bash scripts/install.sh && .venv/bin/wargame demo --port $(WARGAME_PORT)

test:
	bash scripts/test.sh

install:
	bash scripts/install.sh --dev

lint:
	.venv/bin/ruff check wargame tests benchmarks && .venv/bin/mypy wargame
