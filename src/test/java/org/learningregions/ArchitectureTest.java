package org.learningregions;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The house rules, checked on the compiled classes: layers that only look down (cli, then the stages, then the stage
 * framework and validation rules, then the lakehouse, configuration and utilities), no package cycles, stages that do
 * not reach into each other, internal APIs of Spark and Delta in one named class each, and no class over 400 lines
 * without the reason written at its top. docs/ARCHITECTURE.md describes the same layers.
 */
@Tag("fast")
class ArchitectureTest {
  static final List<String> STAGES = List.of("ingest", "aggregate", "panel", "model", "report", "sample", "index");
  static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("org.learningregions");
  }

  @Test
  void layersOnlyLookDown() {
    layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("cli").definedBy("org.learningregions.cli..")
        .layer("stages").definedBy(STAGES.stream().map(s -> "org.learningregions." + s + "..").toArray(String[]::new))
        .layer("framework").definedBy("org.learningregions.stage..")
        .layer("rules").definedBy("org.learningregions.validate..")
        .layer("lake").definedBy("org.learningregions.lake..")
        .layer("config").definedBy("org.learningregions.config..")
        .layer("util").definedBy("org.learningregions.util..")
        .whereLayer("cli").mayNotBeAccessedByAnyLayer()
        .whereLayer("stages").mayOnlyBeAccessedByLayers("cli")
        .whereLayer("framework").mayOnlyBeAccessedByLayers("cli", "stages")
        .whereLayer("rules").mayOnlyBeAccessedByLayers("cli", "stages")
        .whereLayer("lake").mayOnlyBeAccessedByLayers("cli", "stages", "framework")
        .whereLayer("config").mayOnlyBeAccessedByLayers("cli", "stages", "framework", "rules", "lake")
        .check(classes);
  }

  @Test
  void noPackageCycles() {
    slices().matching("org.learningregions.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void stagesDoNotReachIntoEachOther() {
    for (String stage : STAGES) {
      List<String> others = new ArrayList<>();
      STAGES.stream().filter(s -> !s.equals(stage)).forEach(s -> others.add("org.learningregions." + s + ".."));
      noClasses().that().resideInAPackage("org.learningregions." + stage + "..")
          .should().dependOnClassesThat().resideInAnyPackage(others.toArray(new String[0]))
          .check(classes);
    }
  }

  @Test
  void internalApisStayInTheClassesThatSayWhy() {
    noClasses().that().haveNameNotMatching("org\\.learningregions\\.lake\\.SmallTableReader.*")
        .should().dependOnClassesThat().resideInAPackage("io.delta.kernel.internal..")
        .because("Delta Kernel internals are wrapped by lake.SmallTableReader only").check(classes);
    noClasses().should().dependOnClassesThat().resideInAPackage("org.apache.spark.sql.delta..")
        .because("Delta versions and history come from Delta Kernel and DeltaTable, both public").check(classes);
    noClasses().that().haveNameNotMatching("org\\.learningregions\\.model\\.InternalRows.*")
        .should().dependOnClassesThat().haveFullyQualifiedName("org.apache.spark.sql.catalyst.InternalRow")
        .because("Spark's internal rows are read by model.InternalRows only").check(classes);
  }

  @Test
  void longClassesSayWhyAtTheirTop() throws IOException {
    List<String> unexplained = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        List<String> lines = Files.readAllLines(f);
        String top = String.join("\n", lines.subList(0, Math.min(60, lines.size())));
        if (lines.size() > 400 && !top.contains("Why this class is long:")) {
          unexplained.add(f + " (" + lines.size() + " lines)");
        }
      }
    }
    if (!unexplained.isEmpty()) {
      throw new AssertionError("classes over 400 lines without \"Why this class is long:\" in their header: "
          + unexplained);
    }
  }
}
