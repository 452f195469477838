.PHONY: demo test install lint bench

demo:
	bash scripts/install.sh && .venv/bin/wargame demo

test:
	bash scripts/test.sh

install:
	bash scripts/install.sh --dev

lint:
	.venv/bin/ruff check wargame tests benchmarks && .venv/bin/mypy wargame
