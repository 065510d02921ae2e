import { DeliveryId, EndpointId, MessageId } from '../ids';

export interface EndpointAutoDisabledV1 {
  type: 'endpoint.auto_disabled.v1';
  data: { endpoint_id: EndpointId; reason: 'gone' | 'failing'; detail: string };
}
export interface DeliveryAttemptsExhaustedV1 {
  type: 'delivery.attempts_exhausted.v1';
  data: { delivery_id: DeliveryId; message_id: MessageId; endpoint_id: EndpointId; attempts: number; last_error: string };
}
export interface EndpointBreakerChangedV1 {
  type: 'endpoint.breaker_changed.v1';
  data: { endpoint_id: EndpointId; state: 'closed' | 'open' | 'half_open'; failure_ratio: number };
}

/** Every event on the operational topic. */
export type OperationalEvent = EndpointAutoDisabledV1 | DeliveryAttemptsExhaustedV1 | EndpointBreakerChangedV1;
