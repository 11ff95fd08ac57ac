/*
 * cdcmtknet — the small C face of DCMTK's network module (dcmnet) that VeilNet builds on.
 *
 * Two jobs, each on its own association: send files with C-STORE (an association proposes each SOP
 * class the caller names, in Explicit and Implicit VR Little Endian), and fetch a whole study with
 * C-GET into a directory. Files go to and from disk as they are, so no DCMTK type reaches Swift.
 * Both run over DICOM TLS (PS3.15 Annex B, BCP 195 profile) when the peer names a trusted
 * certificate file. Every call that can fail fills a `cnet_error` with DCMTK's reason; the caller
 * names the peer.
 */
#ifndef CDCMTKNET_H
#define CDCMTKNET_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Why a call failed, in DCMTK's words plus context. */
typedef struct {
    char message[512];
    /** Nonzero when TLS itself failed: a certificate or key file, or the handshake (an untrusted
     *  peer, a peer that does not trust us). Retrying does not mend those. */
    int32_t tls;
} cnet_error;

/** Who to talk to. */
typedef struct {
    const char *host;
    uint16_t port;
    const char *called_ae_title;
    const char *calling_ae_title;
    /** Seconds to wait for the connection, the association and each DIMSE message. */
    uint32_t timeout_seconds;
    /** DICOM TLS when set: a PEM file of the certificates (a CA, or the peer's own) that the peer's
     *  certificate must verify against and whose names must include `host`. NULL: plain TCP. */
    const char *tls_trusted_certificates;
    /** PEM files of our certificate and its unencrypted private key, presented when the peer asks
     *  who we are; both NULL to present none. Only with `tls_trusted_certificates`. */
    const char *tls_certificate;
    const char *tls_private_key;
} cnet_peer;

typedef struct cnet_association cnet_association;   /* owning: release with cnet_release */

/** Connects and negotiates storage of the given SOP classes. NULL on failure (refused connection,
 *  rejected association, no SOP class accepted), with `error` filled. */
cnet_association *cnet_open_storage(const cnet_peer *peer, const char *const *sop_classes, size_t count,
                                    cnet_error *error);

/** Sends the DICOM file at `path` with C-STORE. Returns the peer's DIMSE status (0 = success,
 *  0xB000-0xBFFF = warning, anything else = failure), or -1 when the exchange itself failed
 *  (`error` filled; the association is unusable afterwards). */
int32_t cnet_store(cnet_association *association, const char *path, cnet_error *error);

/** Releases the association (or aborts it if the release fails) and frees it. */
void cnet_release(cnet_association *association);

/** Retrieves every instance of a study with C-GET (Study Root), writing each as
 *  `directory/<SOP Instance UID>.dcm` in the transfer syntax it arrived in. Returns 0 and the counts
 *  on completion (failed > 0 when the peer reported failed sub-operations), -1 with `error` filled
 *  when the retrieval could not run. */
int32_t cnet_get_study(const cnet_peer *peer, const char *study_instance_uid, const char *directory,
                       size_t *received, size_t *failed, cnet_error *error);

#ifdef __cplusplus
}
#endif

#endif
