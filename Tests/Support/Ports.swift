#if canImport(Glibc)
import Glibc
#endif

/// A TCP port on 127.0.0.1 nobody listens on right now (the kernel's pick for port 0), for the
/// servers the tests start (Orthanc, Slurm's daemons).
public func freePort() throws -> UInt16 {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw PortError(message: "socket: errno \(errno)") }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
        }
    }
    guard bound else { throw PortError(message: "bind: errno \(errno)") }
    return UInt16(bigEndian: address.sin_port)
}

public struct PortError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
