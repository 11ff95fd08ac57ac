// C-STORE and C-GET over DCMTK's DcmSCU, behind the opaque handles of cdcmtknet.h.
#include "cdcmtknet.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dctk.h>
#include <dcmtk/dcmnet/diutil.h>
#include <dcmtk/dcmnet/scu.h>
#include <dcmtk/dcmtls/tlslayer.h>
#include <dcmtk/oflog/oflog.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>

namespace {

/// Silences DCMTK's logger once per process: failures reach Swift as messages, not log lines.
/// OpenSSL is initialized here too, as DCMTK asks: once, before any thread makes a TLS layer.
void initialize() {
    static std::once_flag once;
    std::call_once(once, [] {
        OFLog::configure(OFLogger::OFF_LOG_LEVEL);
        DcmTLSTransportLayer::initializeOpenSSL();
    });
}

void fail(cnet_error *error, const std::string &message, bool tls = false) {
    if (!error) return;
    std::snprintf(error->message, sizeof error->message, "%s", message.c_str());
    error->tls = tls;
}

/// Explicit VR Little Endian first (our outputs are in it, so nothing is converted), then Implicit.
OFList<OFString> uncompressedSyntaxes() {
    OFList<OFString> syntaxes;
    syntaxes.push_back(UID_LittleEndianExplicitTransferSyntax);
    syntaxes.push_back(UID_LittleEndianImplicitTransferSyntax);
    return syntaxes;
}

/// DcmSCU with its TLS hook public (DCMTK 3.6.7 keeps it for subclasses such as DcmTLSSCU, whose
/// own TLS setup leaves no way to check the peer's host name).
class SCU : public DcmSCU {
public:
    using DcmSCU::useSecureConnection;
};

/// An SCU that stores what a C-GET brings as `<directory>/<SOP Instance UID>.dcm` and counts it.
class StudyRetriever : public SCU {
public:
    explicit StudyRetriever(std::string directory) : directory_(std::move(directory)) {}
    size_t received = 0;

protected:
    OFString createStorageFilename(DcmDataset *dataset) override {
        OFString uid;
        if (dataset->findAndGetOFString(DCM_SOPInstanceUID, uid).bad() || uid.empty()) return "";
        // A UID is digits and dots; anything else must not become part of a path.
        if (uid.find_first_not_of("0123456789.") != OFString_npos) return "";
        return OFString((directory_ + "/" + uid.c_str() + ".dcm").c_str());
    }

    OFCondition handleSTORERequest(const T_ASC_PresentationContextID presID, DcmDataset *incomingObject,
                                   OFBool &continueCGETSession, Uint16 &cStoreReturnStatus) override {
        OFCondition result = DcmSCU::handleSTORERequest(presID, incomingObject, continueCGETSession,
                                                        cStoreReturnStatus);
        if (result.good() && cStoreReturnStatus == STATUS_Success) received++;
        return result;
    }

private:
    std::string directory_;
};

void configure(DcmSCU &scu, const cnet_peer *peer) {
    scu.setAETitle(peer->calling_ae_title);
    scu.setPeerAETitle(peer->called_ae_title);
    scu.setPeerHostName(peer->host);
    scu.setPeerPort(peer->port);
    scu.setConnectionTimeout(static_cast<Sint32>(peer->timeout_seconds));
    scu.setACSETimeout(peer->timeout_seconds);
    scu.setDIMSEBlockingMode(DIMSE_NONBLOCKING);
    scu.setDIMSETimeout(peer->timeout_seconds);
}

/// Puts `scu` on DICOM TLS when `peer` asks for it, with a layer kept in `layer` (which must
/// outlive the association; it stays NULL for plain TCP). False with `error` filled on failure.
///
/// The peer must present a certificate that the trusted file vouches for (BCP 195 ciphers, TLS 1.2
/// and up) and that names `host`: trusting a site's CA alone would otherwise let any machine it
/// certified pose as the archive. DICOM tools commonly skip that name check; we do not.
bool secure(SCU &scu, std::unique_ptr<DcmTLSTransportLayer> &layer, const cnet_peer *peer, cnet_error *error) {
    if (!peer->tls_trusted_certificates) return true;
    // OpenSSL reports a missing file as a bare "system library" error; name the file instead.
    for (const char *file : {peer->tls_trusted_certificates, peer->tls_certificate, peer->tls_private_key}) {
        if (!file) continue;
        if (std::FILE *stream = std::fopen(file, "r")) {
            std::fclose(stream);
            continue;
        }
        fail(error, std::string("TLS: cannot read ") + file + " (" + std::strerror(errno) + ")", true);
        return false;
    }
    layer.reset(new DcmTLSTransportLayer(NET_REQUESTOR, nullptr, OFFalse));
    if (!*layer) {
        fail(error, "TLS unavailable (cannot create an OpenSSL context)", true);
        return false;
    }
    auto refuse = [&](const char *what, const char *file, const OFCondition &result) {
        fail(error, std::string("TLS: cannot use ") + what + " " + file + " (" + result.text() + ")", true);
        return false;
    };
    if (peer->tls_certificate) {
        // An encrypted key fails to load rather than prompting on a terminal nobody watches.
        layer->setPrivateKeyPasswd("");
        OFCondition result = layer->setPrivateKeyFile(peer->tls_private_key, DCF_Filetype_PEM);
        if (result.bad()) return refuse("private key", peer->tls_private_key, result);
        result = layer->setCertificateFile(peer->tls_certificate, DCF_Filetype_PEM);
        if (result.bad()) return refuse("certificate", peer->tls_certificate, result);
        if (!layer->checkPrivateKeyMatchesCertificate()) {
            fail(error, std::string("TLS: private key ") + peer->tls_private_key + " does not match certificate " +
                            peer->tls_certificate, true);
            return false;
        }
    }
    OFCondition result = layer->addTrustedCertificateFile(peer->tls_trusted_certificates, DCF_Filetype_PEM);
    if (result.bad()) return refuse("trusted certificates", peer->tls_trusted_certificates, result);
    layer->setCertificateVerification(DCV_requireCertificate);
    result = layer->setTLSProfile(TSP_Profile_BCP195);
    if (result.good()) result = layer->activateCipherSuites();
    if (result.good()) result = scu.useSecureConnection(layer.get());
    if (result.bad()) {
        fail(error, std::string("TLS: ") + result.text(), true);
        return false;
    }
    X509_VERIFY_PARAM *verify = SSL_CTX_get0_param(layer->getNativeHandle());
    if (X509_VERIFY_PARAM_set1_ip_asc(verify, peer->host) != 1 && X509_VERIFY_PARAM_set1_host(verify, peer->host, 0) != 1) {
        fail(error, std::string("TLS: cannot check the peer's certificate against the name ") + peer->host, true);
        return false;
    }
    return true;
}

/// The first reason OpenSSL queued from the TLS protocol itself (such as the peer's alert that it
/// does not know our CA), or empty; the queue is emptied either way.
std::string tlsProtocolReason() {
    std::string reason;
    while (unsigned long code = ERR_get_error()) {
        if (!reason.empty() || ERR_GET_LIB(code) != ERR_LIB_SSL || ERR_GET_REASON(code) == SSL_R_SHUTDOWN_WHILE_IN_INIT) continue;
        if (const char *text = ERR_reason_error_string(code)) reason = text;
    }
    return reason;
}

/// initNetwork, TLS if asked (it needs the network), negotiateAssociation; the caller names the peer.
bool connect(SCU &scu, std::unique_ptr<DcmTLSTransportLayer> &layer, const cnet_peer *peer, cnet_error *error) {
    OFCondition result = scu.initNetwork();
    if (result.good() && !secure(scu, layer, peer, error)) return false;
    ERR_clear_error();
    if (result.good()) result = scu.negotiateAssociation();
    if (result.good()) return true;
    std::string detail = result.text();
    if (!layer) {
        fail(error, "association failed (" + detail + ")");
    } else if (result.module() == OFM_dcmtls) {
        // Our side refused: DCMTK names the reason (the peer's certificate did not verify).
        fail(error, "TLS handshake failed (" + detail + ")", true);
    } else if (std::string reason = tlsProtocolReason(); !reason.empty()) {
        // The peer refused us with an alert, which DCMTK reports only as a dropped connection.
        fail(error, "TLS handshake failed (the peer says: " + reason + ")", true);
    } else {
        // With TLS 1.3 a peer refusing our certificate may just close the connection before its
        // alert arrives; that looks like any dropped connection, so it stays one worth retrying.
        fail(error, "association failed (" + detail + "; over TLS, the peer may not accept our certificate)");
    }
    return false;
}

}  // namespace

struct cnet_association {
    std::unique_ptr<DcmTLSTransportLayer> tls;   // declared first: outlives the SCU using it
    SCU scu;
};

extern "C" {

cnet_association *cnet_open_storage(const cnet_peer *peer, const char *const *sop_classes, size_t count,
                                    cnet_error *error) {
    initialize();
    auto *association = new cnet_association();
    configure(association->scu, peer);
    // Converts Explicit to Implicit VR when the peer accepts only the latter (lossless either way).
    association->scu.setDatasetConversionMode(OFTrue);
    for (size_t index = 0; index < count; index++) {
        association->scu.addPresentationContext(sop_classes[index], uncompressedSyntaxes());
    }
    if (!connect(association->scu, association->tls, peer, error)) {
        delete association;
        return nullptr;
    }
    return association;
}

int32_t cnet_store(cnet_association *association, const char *path, cnet_error *error) {
    Uint16 status = 0;
    OFCondition result = association->scu.sendSTORERequest(0, OFFilename(path), nullptr, status);
    if (result.bad()) {
        fail(error, std::string("C-STORE failed (") + result.text() + ")");
        return -1;
    }
    return status;
}

void cnet_release(cnet_association *association) {
    if (association->scu.isConnected() && association->scu.releaseAssociation().bad()) {
        association->scu.abortAssociation();
    }
    delete association;
}

int32_t cnet_get_study(const cnet_peer *peer, const char *study_instance_uid, const char *directory,
                       size_t *received, size_t *failed, cnet_error *error) {
    initialize();
    std::unique_ptr<DcmTLSTransportLayer> tls;   // declared first: outlives the SCU using it
    StudyRetriever scu(directory);
    configure(scu, peer);
    scu.setStorageDir(directory);
    scu.addPresentationContext(UID_GETStudyRootQueryRetrieveInformationModel, uncompressedSyntaxes());
    // The peer sends each instance back on a context where we are the storage SCP; presentation
    // context IDs are odd numbers up to 255, so at most 127 contexts fit, one used above.
    for (int index = 0; index < numberOfDcmLongSCUStorageSOPClassUIDs && index < 126; index++) {
        scu.addPresentationContext(dcmLongSCUStorageSOPClassUIDs[index], uncompressedSyntaxes(), ASC_SC_ROLE_SCP);
    }
    if (!connect(scu, tls, peer, error)) return -1;

    T_ASC_PresentationContextID context =
        scu.findPresentationContextID(UID_GETStudyRootQueryRetrieveInformationModel, "");
    if (context == 0) {
        fail(error, "C-GET (Study Root) not accepted");
        scu.releaseAssociation();
        return -1;
    }
    DcmDataset query;
    query.putAndInsertOFStringArray(DCM_QueryRetrieveLevel, "STUDY");
    query.putAndInsertOFStringArray(DCM_StudyInstanceUID, study_instance_uid);
    OFList<RetrieveResponse *> responses;
    OFCondition result = scu.sendCGETRequest(context, &query, &responses);
    Uint16 finalStatus = responses.empty() ? 0xFFFF : responses.back()->m_status;
    size_t failedSubops = responses.empty() ? 0 : responses.back()->m_numberOfFailedSubops;
    for (RetrieveResponse *response : responses) delete response;
    scu.releaseAssociation();

    if (result.bad()) {
        fail(error, std::string("C-GET failed (") + result.text() + ")");
        return -1;
    }
    if (finalStatus != STATUS_Success && failedSubops == 0 && scu.received == 0) {
        char status[8];
        std::snprintf(status, sizeof status, "%04X", finalStatus);
        fail(error, std::string("C-GET answered status 0x") + status);
        return -1;
    }
    *received = scu.received;
    *failed = failedSubops;
    return 0;
}

}
