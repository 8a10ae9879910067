#!/usr/bin/env bash
# Sets up the Java notebooks of this checkout; safe to run again (it only does what is missing or out of date).
#   1. Jupyter from Debian: jupyter-nbconvert, python3-nbclient, python3-nbformat (as root, or with sudo);
#   2. the Java kernel io.github.padreati:rapaio-jupyter-kernel (Maven Central, checked against its SHA-1) into
#      ${XDG_CACHE_HOME:-~/.cache}/learning-regions/;
#   3. a kernel "learning-regions-java" that starts the JVM with the options Spark needs (taken from
#      jobs/learning-regions) and with this checkout's target/learning-regions.jar and target/lib/* on its class path.
# The kernel spec is written to notebooks/.kernel/ (used by notebooks/run-all.sh) and registered for the current user
# in Jupyter's data directory, so `jupyter lab` (or VS Code) offers it. Re-run after moving the checkout.
#   notebooks/setup.sh                  # LEARNING_REGIONS_JAVA_OPTS (default -Xmx4g) sets the kernel's heap
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
kernel_name=learning-regions-java
rjk_version=3.0.1
rjk_sha1=fc39d9fbe034e907c09d7712462aab8eebc36068
rjk_url="https://repo1.maven.org/maven2/io/github/padreati/rapaio-jupyter-kernel/$rjk_version/rapaio-jupyter-kernel-$rjk_version.jar"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/learning-regions"
rjk_jar="$cache/rapaio-jupyter-kernel-$rjk_version.jar"
state="$here/notebooks/.kernel"
jar="$here/target/learning-regions.jar"

die() { echo "notebooks/setup.sh: $*" >&2; exit 1; }

if [ ! -f "$jar" ] || [ ! -d "$here/target/lib" ]; then
  die "target/learning-regions.jar is missing: run jobs/learning-regions --version first, which builds it"
fi

java_bin="${JAVA_HOME:+$JAVA_HOME/bin/java}"
[ -n "$java_bin" ] && [ -x "$java_bin" ] || java_bin="$(command -v java || true)"
[ -n "$java_bin" ] || die "no java on PATH (Java 17 or newer is needed)"
javac_bin="$(dirname "$(readlink -f "$java_bin")")/javac"
[ -x "$javac_bin" ] || javac_bin="$(command -v javac || true)"
[ -n "$javac_bin" ] || die "no javac next to $java_bin (a JDK 17 or newer is needed, as for the build)"
java_major="$("$java_bin" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
[ "${java_major%%.*}" -ge 17 ] 2>/dev/null || die "$java_bin is Java $java_major; Java 17 or newer is needed"

# 1. Jupyter (Debian packages; the notebooks are executed with /usr/bin/jupyter and /usr/bin/python3).
if ! /usr/bin/python3 -c 'import nbconvert, nbclient, nbformat' >/dev/null 2>&1 || [ ! -x /usr/bin/jupyter-nbconvert ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing jupyter-nbconvert python3-nbclient python3-nbformat (Debian packages)" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq jupyter-nbconvert python3-nbclient python3-nbformat >/dev/null
fi

# 2. The kernel jar, verified.
if [ ! -f "$rjk_jar" ] || [ "$(sha1sum "$rjk_jar" | cut -d' ' -f1)" != "$rjk_sha1" ]; then
  echo "downloading rapaio-jupyter-kernel $rjk_version from Maven Central" >&2
  mkdir -p "$cache"
  curl -fsSL --retry 3 -o "$rjk_jar.part" "$rjk_url"
  [ "$(sha1sum "$rjk_jar.part" | cut -d' ' -f1)" = "$rjk_sha1" ] || { rm -f "$rjk_jar.part"; die "SHA-1 mismatch for $rjk_url"; }
  mv "$rjk_jar.part" "$rjk_jar"
fi

# 3a. Boot directory, first on the kernel's class path: the kernel's java.util.logging configuration (the jar's own
# sets the root level to FINEST, which sends Janino's trace calls through Spark's JUL bridge, where they break Spark's
# code generation) and a fixed LoopThread (kernel-patch/LoopThread.java: a start-up race of 3.0.1).
boot="$state/boot"
patch_class="$boot/org/rapaio/jupyter/kernel/channels/LoopThread.class"
if [ ! -f "$patch_class" ] || [ "$here/notebooks/kernel-patch/LoopThread.java" -nt "$patch_class" ] \
    || [ "$rjk_jar" -nt "$patch_class" ]; then
  mkdir -p "$boot"
  "$javac_bin" -nowarn --release 17 -d "$boot" -cp "$rjk_jar" "$here/notebooks/kernel-patch/LoopThread.java"
fi
cat > "$boot/logging.properties" <<'EOF'
handlers = java.util.logging.ConsoleHandler
.level = WARNING
java.util.logging.ConsoleHandler.level = WARNING
java.util.logging.ConsoleHandler.formatter = java.util.logging.SimpleFormatter
java.util.logging.SimpleFormatter.format = [%1$tT] [%4$s] %5$s%n
EOF

# 3b. JVM options: the Spark module options every launcher uses (jobs/jvm-options.sh), one place of truth.
source "$here/jobs/jvm-options.sh"
spark_opens=("${spark_jvm_options[@]}" --enable-native-access=ALL-UNNAMED)
printf '%s\n' "${spark_opens[@]}" | grep -q -- '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED' \
  || die "could not read the Spark JVM options from jobs/jvm-options.sh"
read -r -a heap <<< "${LEARNING_REGIONS_JAVA_OPTS:--Xmx4g}"

spec_dir="$state/share/jupyter/kernels/$kernel_name"
mkdir -p "$spec_dir" "$state/mima_cache"
/usr/bin/python3 - "$spec_dir/kernel.json" "$java_bin" "$here" "$boot" "$rjk_jar" "$state" "${heap[@]}" -- "${spark_opens[@]}" <<'EOF'
import json, sys
out, java, home, boot, rjk, state = sys.argv[1:7]
rest = sys.argv[7:]
cut = rest.index("--")
heap, opens = rest[:cut], rest[cut + 1:]
classpath = ":".join([boot, home + "/target/learning-regions.jar", home + "/target/lib/*", rjk])
spec = {
    "argv": [java, *heap, *opens, "-Dlog4j2.configurationFile=" + home + "/notebooks/log4j2.properties",
             "-cp", classpath, "org.rapaio.jupyter.kernel.MainApp", "{connection_file}"],
    "display_name": "Java (learning-regions)",
    "language": "java",
    "interrupt_mode": "message",
    "env": {
        "LEARNING_REGIONS_HOME": home,
        "SPARK_LOCAL_IP": "127.0.0.1",
        "RJK_CLASSPATH": "",
        "RJK_COMPILER_OPTIONS": "",
        "RJK_INIT_SCRIPT": "",
        "RJK_TIMEOUT_MILLIS": "-1",
        "RJK_MIMA_CACHE": state + "/mima_cache",
    },
    "metadata": {"learning-regions": {"checkout": home}},
}
with open(out, "w") as f:
    json.dump(spec, f, indent=1)
    f.write("\n")
EOF

# 3c. Register it for the current user (jupyter lab, VS Code); run-all.sh uses notebooks/.kernel directly.
user_dir="$(/usr/bin/jupyter --data-dir)/kernels/$kernel_name"
mkdir -p "$user_dir"
if ! cmp -s "$spec_dir/kernel.json" "$user_dir/kernel.json"; then
  cp "$spec_dir/kernel.json" "$user_dir/kernel.json"
  echo "registered Jupyter kernel $kernel_name for this checkout" >&2
fi
echo "notebooks: kernel $kernel_name ready (java $java_major, rapaio-jupyter-kernel $rjk_version); run notebooks/run-all.sh"
