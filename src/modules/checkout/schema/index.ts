import './types';
import './orders';
import './member';
import './carts';
