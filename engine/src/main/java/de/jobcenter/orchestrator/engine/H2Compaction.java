package de.jobcenter.orchestrator.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.operaton.bpm.engine.ProcessEngine;
import org.operaton.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.operaton.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;

/**
 * Compacts the H2 file while the engine runs. The engine host opens H2 with WRITE_DELAY=0, so that a commit is on
 * disk when the engine confirms it (a killed engine loses nothing it confirmed). With that setting H2 runs no
 * background writer, and its background writer is what compacts the file: without it every commit appends to the
 * file and nothing is rewritten (h2database/h2database#442). Measured here: the file reached 19 GB after about
 * 2,600 Cottbus intakes and the intake rate fell to half, most of the engine's time going to H2's page cache
 * (docs/performance.md, "Decay on H2"). This does what the background writer would: every few seconds it rewrites
 * the chunks that are mostly dead, a bounded amount at a time, so their space is used again.
 */
public class H2Compaction extends AbstractProcessEnginePlugin {

  /** Seconds between compaction passes; 0 switches it off (only for the benchmark's comparison). */
  static final String SECONDS_VARIABLE = "ENGINE_H2_COMPACT_SECONDS";

  /** H2's own target for its background compaction: chunks under this share of live data are rewritten. */
  static final int TARGET_FILL_RATE = 90;

  /** At most this much rewritten per pass, so that a pass stays short beside the engine's own writes. */
  static final int WRITE_BYTES_PER_PASS = 16 * 1024 * 1024;

  private static final Logger LOG = Logger.getLogger(H2Compaction.class.getName());

  private final int seconds;

  H2Compaction(int seconds) {
    this.seconds = seconds;
  }

  static int seconds(String raw) {
    return SecondsSetting.parse(SECONDS_VARIABLE, raw, 10);
  }

  @Override
  public void postProcessEngineBuild(ProcessEngine engine) {
    ProcessEngineConfigurationImpl configuration =
        (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
    if (seconds == 0 || !"h2".equals(configuration.getDatabaseType())) return;
    DataSource dataSource = configuration.getDataSource();
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "h2-compaction");
              thread.setDaemon(true);
              return thread;
            });
    timer.scheduleWithFixedDelay(() -> compact(dataSource), seconds, seconds, TimeUnit.SECONDS);
  }

  static void compact(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection()) {
      SessionLocal session = (SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
      MVStore store = session.getDatabase().getStore().getMvStore();
      store.compact(TARGET_FILL_RATE, WRITE_BYTES_PER_PASS);
    } catch (SQLException | RuntimeException e) {
      // The next pass tries again; the engine works on without it, only the file grows meanwhile.
      LOG.log(Level.WARNING, "H2 compaction pass failed: " + e.getMessage(), e);
    }
  }
}
