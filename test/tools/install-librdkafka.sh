#!/usr/bin/env bash
# Puts a current librdkafka where the kcat tests find it.
#
# Debian bookworm's kcat links librdkafka 2.0.2, whose SCRAM client-final
# message repeats the client nonce: Kafka 4.x checks the nonce strictly (RFC
# 5802) and rejects it ("invalid credentials"); librdkafka 2.6.1 fixed it
# (librdkafka#4895). Debian has no newer build for bookworm, so this takes the
# librdkafka that PyPI's confluent-kafka wheel bundles (self-contained: it needs
# only libc) and exposes it as librdkafka.so.1 for LD_LIBRARY_PATH.
set -euo pipefail
VERSION="${CONFLUENT_KAFKA_WHEEL_VERSION:-2.16.1}"
CACHE="${KAFKIT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kafkit}"
TARGET="$CACHE/librdkafka-$VERSION"
if [ -e "$TARGET/lib/librdkafka.so.1" ]; then
  echo "librdkafka from confluent-kafka $VERSION already in $TARGET/lib"
  exit 0
fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
python3 -m pip download --quiet --no-deps --only-binary=:all: --platform manylinux_2_28_x86_64 \
  --python-version 3.11 -d "$WORK" "confluent-kafka==$VERSION"
python3 -m zipfile -e "$WORK"/confluent_kafka-*.whl "$WORK/wheel"
mkdir -p "$TARGET/lib"
cp "$WORK"/wheel/confluent_kafka.libs/librdkafka-*.so.1 "$TARGET/lib/"
ln -sf "$(basename "$TARGET"/lib/librdkafka-*.so.1)" "$TARGET/lib/librdkafka.so.1"
echo "librdkafka from confluent-kafka $VERSION installed in $TARGET/lib"
