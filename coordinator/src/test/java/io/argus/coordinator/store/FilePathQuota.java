package io.argus.coordinator.store;

import org.h2.store.fs.FileBase;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An H2 file system ({@code quota:} prefix) over the real disk whose files may grow by at most a
 * shared number of bytes, after which a write fails as a full disk does ({@code IOException: No
 * space left on device}). A fault injection: a test cannot mount a small filesystem without root,
 * and this makes H2 meet ENOSPC in the middle of a write exactly as it did on the probe's 2 MiB
 * filesystem. Raising the quota is "freeing space".
 */
public final class FilePathQuota extends FilePathWrapper {
    /** Bytes the files under this prefix may still grow by (shared by all of them). */
    public static final AtomicLong REMAINING = new AtomicLong(Long.MAX_VALUE);
    private static final FilePathQuota INSTANCE = new FilePathQuota();

    public static void register() {
        FilePath.register(INSTANCE);
    }

    @Override
    public String getScheme() {
        return "quota";
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        return new QuotaChannel(getBase().open(mode));
    }

    static final class QuotaChannel extends FileBase {
        private final FileChannel base;

        QuotaChannel(FileChannel base) {
            this.base = base;
        }

        private void charge(long position, int bytes) throws IOException {
            long growth = position + bytes - base.size();
            if (growth <= 0) {
                return;
            }
            while (true) {
                long left = REMAINING.get();
                if (left < growth) {
                    throw new IOException("No space left on device");
                }
                if (REMAINING.compareAndSet(left, left - growth)) {
                    return;
                }
            }
        }

        @Override
        public synchronized int write(ByteBuffer src, long position) throws IOException {
            charge(position, src.remaining());
            return base.write(src, position);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            charge(base.position(), src.remaining());
            return base.write(src);
        }

        @Override
        public synchronized int read(ByteBuffer dst, long position) throws IOException {
            return base.read(dst, position);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return base.read(dst);
        }

        @Override
        public long position() throws IOException {
            return base.position();
        }

        @Override
        public FileChannel position(long p) throws IOException {
            base.position(p);
            return this;
        }

        @Override
        public long size() throws IOException {
            return base.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            base.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            base.force(metaData);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return base.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            base.close();
        }
    }
}
