# The two commands of the README, plus the usual targets. CMake does the
# building; this file only chains set-up, build and run.
BUILD ?= build
TEST_BUILD ?= build-test
JOBS ?= $(shell nproc)

.PHONY: all deps build demo test check-style clean

all: build

deps:
	./scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DL4P_TESTS=OFF
	cmake --build $(BUILD) -j $(JOBS)

# The main job on bundled data, offline.
demo: build
	./scripts/demo.sh $(BUILD)/llm4perf

# The whole test suite under AddressSanitizer + UBSan, warnings as errors.
test: deps
	cmake -S . -B $(TEST_BUILD) -DCMAKE_BUILD_TYPE=Debug \
	  -DL4P_SANITIZE=ON -DL4P_WERROR=ON
	cmake --build $(TEST_BUILD) -j $(JOBS)
	cd $(TEST_BUILD) && ctest --output-on-failure -j $(JOBS)

check-style:
	L4P_SRC=. bash tests/style/clang-format.sh

clean:
	rm -rf $(BUILD) $(TEST_BUILD) out
