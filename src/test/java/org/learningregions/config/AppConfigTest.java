package org.learningregions.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files that ship beside a configuration are found from any working directory: {@code conf-dir} is the configuration
 * file's own directory, as an absolute path, so a scheduler that starts the command elsewhere (cron starts in the
 * home directory) reads the same registry as a run from the clone.
 */
@Tag("fast")
class AppConfigTest {
  @TempDir
  Path dir;

  @Test
  void theRealStudysRegistryIsNamedFromItsConfigurationsDirectory() {
    AppConfig config = AppConfig.load(new File("conf/eurostat.conf"), Map.of());
    Path confDir = Path.of("conf").toAbsolutePath().normalize();
    assertEquals(confDir.toString(), config.raw().getString("conf-dir"));
    List<String> extra = config.strings("inputs.extra-files");
    assertEquals(1, extra.size(), extra.toString());
    Path registry = Path.of(extra.get(0));
    assertTrue(registry.isAbsolute(), "absolute, whatever the working directory: " + registry);
    assertTrue(Files.isRegularFile(registry), "the registry is there: " + registry);
    assertEquals(confDir.resolve("registry/learning_cities_unesco2015.csv"), registry);
  }

  @Test
  void aConfigurationElsewhereNamesItsOwnFilesAndTheDefaultIsTheWorkingDirectorysConf() throws Exception {
    Path conf = Files.writeString(dir.resolve("site.conf"),
        "learning-regions.inputs.extra-files = [${learning-regions.conf-dir}\"/cities.csv\"]\n");
    AppConfig config = AppConfig.load(conf.toFile(), Map.of());
    assertEquals(List.of(dir.toAbsolutePath().normalize().resolve("cities.csv").toString()),
        config.strings("inputs.extra-files"));
    assertEquals("conf", AppConfig.defaults(Map.of()).raw().getString("conf-dir"));
    assertEquals("/etc/lr", AppConfig.load(conf.toFile(), Map.of("conf-dir", "/etc/lr")).raw()
        .getString("conf-dir"), "a -D override wins");
  }
}
