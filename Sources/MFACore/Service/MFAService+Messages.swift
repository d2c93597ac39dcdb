extension MFAService {
    /// Seals outbox contents under the sealing data key.
    var outboxSealer: OutboxSealer { OutboxSealer(vault: vault) }

    /// Queues a message in `tx`, in the same transaction as the state that caused it (SPEC 5),
    /// its content sealed (SPEC 8.1).
    func enqueue(channel: ContactChannel, to recipient: String, _ text: MessageComposer.Text, code: String = "",
                 linkToken: String = "", tx: any MFATransaction, now: Timestamp) async throws {
        let delivered = deliveredChannels.contains(channel)
        let id = try await tx.newOutboxID()
        let sealed = try outboxSealer.seal(OutboxContent(body: text.body, code: code, linkToken: linkToken), messageID: id)
        try await tx.enqueueOutbox(OutboxRecord(id: id, createdAt: now, channel: channel.rawValue, recipient: recipient,
                                          subject: text.subject, sealedContent: sealed, state: delivered ? .queued : .held))
        // A wake-up only, after the commit: the worker's claim then sees this message.
        if delivered, let onQueued { tx.afterCommit.append(onQueued) }
    }

    /// Emails a security notice to the account (SPEC 3).
    func notify(_ account: AccountRecord, _ notice: MessageComposer.Notice, tx: any MFATransaction, now: Timestamp) async throws {
        try await enqueue(channel: .email, to: account.email, composer.notice(notice), tx: tx, now: now)
    }
}
