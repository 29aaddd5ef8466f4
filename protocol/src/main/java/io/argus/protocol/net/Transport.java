package io.argus.protocol.net;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ThreadFactory;

/**
 * Which Netty transport Argus's sockets use: Linux's native epoll where its library loads (fewer
 * system calls and copies per read and write than the JDK's selector, and no selector-key sets to
 * walk), the JDK's NIO everywhere else. {@code -Dargus.transport=nio} forces NIO (to compare them,
 * or to rule the native code out).
 *
 * <p>Event loop groups made by {@link #group} and channels chosen by {@link #socketChannel} and
 * {@link #serverSocketChannel} always match: a channel class is picked from the group it will be
 * registered with, so a group made elsewhere (a test's NIO group, say) still works.
 */
public final class Transport {
    private static final Logger log = LoggerFactory.getLogger(Transport.class);
    /** True when sockets use epoll. */
    public static final boolean EPOLL = !"nio".equalsIgnoreCase(System.getProperty("argus.transport", "native"))
            && epollLoads();

    private Transport() {
    }

    private static boolean epollLoads() {
        try {
            if (Epoll.isAvailable()) {
                return true;
            }
            log.debug("native epoll unavailable, using NIO: {}", Epoll.unavailabilityCause().toString());
        } catch (LinkageError e) {
            log.debug("native epoll unavailable, using NIO: {}", e.toString());
        }
        return false;
    }

    public static String name() {
        return EPOLL ? "epoll" : "nio";
    }

    public static IoHandlerFactory ioHandlerFactory() {
        return EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    /** An event loop group of {@code threads} on the chosen transport. */
    public static EventLoopGroup group(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, ioHandlerFactory());
    }

    /** As above, with named threads. */
    public static EventLoopGroup group(int threads, ThreadFactory threadFactory) {
        return new MultiThreadIoEventLoopGroup(threads, threadFactory, ioHandlerFactory());
    }

    /** The client socket class that can register with {@code group}. */
    public static Class<? extends SocketChannel> socketChannel(EventLoopGroup group) {
        return epollGroup(group) ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** The server socket class that can register with {@code group}. */
    public static Class<? extends ServerSocketChannel> serverSocketChannel(EventLoopGroup group) {
        return epollGroup(group) ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    private static boolean epollGroup(EventLoopGroup group) {
        EventLoop loop = group.next();
        return EPOLL && loop instanceof IoEventLoop io && io.isIoType(EpollIoHandler.class);
    }
}
