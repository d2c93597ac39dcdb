/* Every test of the C client; main.c runs them in this order. */
#ifndef MFA_TESTS_H
#define MFA_TESTS_H

#define MFA_TESTS(X)                                                  \
    X(test_encodes_the_readme_example)                                \
    X(test_frame_length_limits)                                       \
    X(test_error_code_names)                                          \
    X(test_one_call_per_rpc_of_the_proto)                             \
    X(test_call_and_server_error)                                     \
    X(test_timeout_keeps_the_connection_and_drops_late_answers)       \
    X(test_request_over_the_maximum_is_not_sent)                      \
    X(test_oversized_answer_closes_without_waiting_for_the_body)      \
    X(test_connection_level_error_closes)                             \
    X(test_garbage_wrong_result_and_hang_up)                          \
    X(test_connect_failure)                                           \
    X(test_exchange_parser)                                           \
    X(test_conformance_client_frames_are_encoded_byte_for_byte)       \
    X(test_conformance_server_frames_decode_and_re_encode)            \
    X(test_conformance_replay_through_mfa_call)                       \
    X(test_live_signup_login_trusted_device_and_lockout)

#define MFA_DECLARE_TEST(name) void name(void);
MFA_TESTS(MFA_DECLARE_TEST)

#endif
