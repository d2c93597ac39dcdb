extension MFAService {
    /// Queues a message in `tx`, in the same transaction as the state that caused it (SPEC 5).
    func enqueue(channel: ContactChannel, to recipient: String, _ text: MessageComposer.Text, code: String = "",
                 linkToken: String = "", tx: any MFATransaction, now: Timestamp) throws {
        let delivered = deliveredChannels.contains(channel)
        try tx.enqueueOutbox(OutboxRecord(createdAt: now, channel: channel.rawValue, recipient: recipient, subject: text.subject,
                                          body: text.body, code: code, linkToken: linkToken, state: delivered ? .queued : .held))
        // A wake-up only: the worker's claim is a later write, so it sees this one committed.
        if delivered { onQueued?() }
    }

    /// Emails a security notice to the account (SPEC 3).
    func notify(_ account: AccountRecord, _ notice: MessageComposer.Notice, tx: any MFATransaction, now: Timestamp) throws {
        try enqueue(channel: .email, to: account.email, composer.notice(notice), tx: tx, now: now)
    }
}
