# Sourced, not run: the JVM options Spark 4.1 needs on Java 17 (module opens; spark-submit adds them for the driver
# and the standalone Worker for executors, a plain `java` gets nothing), and the thread stack size below. One list
# for every script that starts a JVM itself with `java`: jobs/learning-regions, notebooks/setup.sh, bench/*.sh,
# dev/standalone-cluster.sh (its Master, Worker and spark-submit; executors get the Worker's defaults).
spark_jvm_options=(
  -XX:+IgnoreUnrecognizedVMOptions --add-modules=jdk.incubator.vector
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true
  # Thread stacks of 4 MB (reserved, committed as used), as Spark's own test JVMs have: query plans and task closures
  # are (de)serialised recursively, and a task's deserialisation overflowed the default 1 MB once in the real-data
  # pipeline test (2026-12-03).
  -Xss4m
)
