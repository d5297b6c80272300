# Sourced by the scripts in bin/ and .ci/run: sets JAVA_HOME to a JDK 21 or newer (the build needs one; the
# built jars run on 17). Order: $JAVA_HOME if it is 21+, then the newest JDK under /usr/lib/jvm, then `java` on PATH.
jdk_feature() {  # prints the feature version of the JDK at $1
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}
find_jdk21() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(jdk_feature "$JAVA_HOME")" -ge 21 ] 2>/dev/null; then
    echo "$JAVA_HOME"; return 0
  fi
  best=""; bestv=0
  for d in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/*; do
    [ -x "$d/bin/javac" ] || continue
    v=$(jdk_feature "$d" 2>/dev/null)
    case "$v" in ''|*[!0-9]*) continue;; esac
    if [ "$v" -ge 21 ] && [ "$v" -gt "$bestv" ]; then best="$d"; bestv="$v"; fi
  done
  if [ -n "$best" ]; then echo "$best"; return 0; fi
  if command -v javac >/dev/null 2>&1; then
    d=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    if [ "$(jdk_feature "$d")" -ge 21 ] 2>/dev/null; then echo "$d"; return 0; fi
  fi
  return 1
}
find_jdk17() {
  for d in /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/java-17-openjdk* /usr/lib/jvm/*17*; do
    [ -x "$d/bin/java" ] && [ "$(jdk_feature "$d")" = 17 ] && { echo "$d"; return 0; }
  done
  return 1
}
if ! JAVA_HOME=$(find_jdk21); then
  echo "eventloop4j: no JDK 21 or newer found (checked \$JAVA_HOME and /usr/lib/jvm). Install one, e.g. Temurin 21/25." >&2
  exit 2
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
# Maven 3.8's bundled Guava calls sun.misc.Unsafe, which JDK 24+ warns about on every build; allow it quietly.
if [ "$(jdk_feature "$JAVA_HOME")" -ge 24 ] 2>/dev/null; then
  case "${MAVEN_OPTS:-}" in *sun-misc-unsafe-memory-access*) ;; *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow";; esac
fi
export MAVEN_ARGS="${MAVEN_ARGS:-} -Dstyle.color=never"
