/* The slots the endpoint test programs are given (kernel/sched/sched_test.c). */
#ifndef USER_TESTS_EP_H
#define USER_TESTS_EP_H

#define EP_REQUESTS 16 /* the server receives here, the client sends (badged) */
#define EP_REPLIES  17 /* the client receives here, the server sends */
#define EP_CAP_SLOT 18 /* where the server takes the cap the client sends */
#define EP_ROUNDS   1000
#define EP_BADGE    0x77

#endif
