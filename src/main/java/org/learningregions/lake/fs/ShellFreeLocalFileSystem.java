package org.learningregions.lake.fs;

import org.apache.hadoop.fs.LocalFileSystem;

/**
 * The checksummed local file system ({@code file:}) on {@link ShellFreeRawLocalFileSystem}; configured as
 * {@code spark.hadoop.fs.file.impl}.
 */
public class ShellFreeLocalFileSystem extends LocalFileSystem {
  public ShellFreeLocalFileSystem() {
    super(new ShellFreeRawLocalFileSystem());
  }
}
