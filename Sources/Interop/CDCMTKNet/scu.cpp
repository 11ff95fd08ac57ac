// C-STORE and C-GET over DCMTK's DcmSCU, behind the opaque handles of cdcmtknet.h.
#include "cdcmtknet.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dctk.h>
#include <dcmtk/dcmnet/diutil.h>
#include <dcmtk/dcmnet/scu.h>
#include <dcmtk/oflog/oflog.h>

#include <cstdio>
#include <mutex>
#include <string>

namespace {

/// Silences DCMTK's logger once per process: failures reach Swift as messages, not log lines.
void initialize() {
    static std::once_flag once;
    std::call_once(once, [] { OFLog::configure(OFLogger::OFF_LOG_LEVEL); });
}

void fail(cnet_error *error, const std::string &message) {
    if (error) std::snprintf(error->message, sizeof error->message, "%s", message.c_str());
}

/// Explicit VR Little Endian first (our outputs are in it, so nothing is converted), then Implicit.
OFList<OFString> uncompressedSyntaxes() {
    OFList<OFString> syntaxes;
    syntaxes.push_back(UID_LittleEndianExplicitTransferSyntax);
    syntaxes.push_back(UID_LittleEndianImplicitTransferSyntax);
    return syntaxes;
}

/// A DcmSCU that stores what a C-GET brings as `<directory>/<SOP Instance UID>.dcm` and counts it.
class StudyRetriever : public DcmSCU {
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

/// initNetwork + negotiateAssociation; the caller names the peer in the message.
bool connect(DcmSCU &scu, cnet_error *error) {
    OFCondition result = scu.initNetwork();
    if (result.good()) result = scu.negotiateAssociation();
    if (result.bad()) {
        fail(error, std::string("association failed (") + result.text() + ")");
        return false;
    }
    return true;
}

}  // namespace

struct cnet_association {
    DcmSCU scu;
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
    if (!connect(association->scu, error)) {
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
    StudyRetriever scu(directory);
    configure(scu, peer);
    scu.setStorageDir(directory);
    scu.addPresentationContext(UID_GETStudyRootQueryRetrieveInformationModel, uncompressedSyntaxes());
    // The peer sends each instance back on a context where we are the storage SCP; presentation
    // context IDs are odd numbers up to 255, so at most 127 contexts fit, one used above.
    for (int index = 0; index < numberOfDcmLongSCUStorageSOPClassUIDs && index < 126; index++) {
        scu.addPresentationContext(dcmLongSCUStorageSOPClassUIDs[index], uncompressedSyntaxes(), ASC_SC_ROLE_SCP);
    }
    if (!connect(scu, error)) return -1;

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
