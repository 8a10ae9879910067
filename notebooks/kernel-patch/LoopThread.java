/*
 * Drop-in replacement for org.rapaio.jupyter.kernel.channels.LoopThread of rapaio-jupyter-kernel 3.0.1 (MIT licence,
 * https://github.com/padreati/rapaio-jupyter-kernel), put ahead of the kernel jar on the class path by
 * notebooks/setup.sh. The original has two start-up races that leave the kernel silent ("Kernel didn't respond in 60
 * seconds") in about one start in three on a busy 2-core machine:
 *   1. start() sets running = true only after Thread.start(), so the new thread can see false and end at once;
 *   2. a message that arrives before the kernel has registered its handlers throws a NullPointerException out of the
 *      loop body, which ends the thread.
 * Here running is set before the thread starts, and an exception in one pass of the loop is logged and the loop goes
 * on (Jupyter clients resend kernel_info_request until they get a reply). Same public API as the original.
 */
package org.rapaio.jupyter.kernel.channels;

import java.util.logging.Level;
import java.util.logging.Logger;

public final class LoopThread extends Thread {
  private static final Logger LOGGER = Logger.getLogger(LoopThread.class.getSimpleName());

  private volatile boolean running = false;
  private final long sleep;
  private final Runnable loopBody;

  public LoopThread(String name, long sleep, Runnable loopBody) {
    super(name);
    this.sleep = sleep;
    this.loopBody = loopBody;
  }

  @Override
  public void run() {
    while (running) {
      try {
        loopBody.run();
      } catch (RuntimeException e) {
        LOGGER.log(Level.WARNING, getName() + ": message dropped: " + e, e);
      }
      try {
        Thread.sleep(sleep);
      } catch (InterruptedException e) {
        running = false;
        return;
      }
    }
  }

  @Override
  public synchronized void start() {
    running = true;
    super.start();
  }

  public void shutdown() {
    running = false;
  }
}
