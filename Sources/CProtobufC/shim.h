#ifndef C_PROTOBUF_C_SHIM_H
#define C_PROTOBUF_C_SHIM_H
// The protobuf-c runtime (Debian libprotobuf-c-dev), as one Swift module.
#include <protobuf-c/protobuf-c.h>

// ProtobufCType's enumerators do not import into Swift; these ask the questions Swift needs.
static inline int cprotobufc_field_is_string(const ProtobufCFieldDescriptor *field) {
    return field->type == PROTOBUF_C_TYPE_STRING;
}

static inline int cprotobufc_field_is_message(const ProtobufCFieldDescriptor *field) {
    return field->type == PROTOBUF_C_TYPE_MESSAGE;
}
#endif
